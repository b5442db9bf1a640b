package io.kefu.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** Profiles written before the RFM scores, unresolved contacts and order trend still read. */
class CustomerProfileSchemaTest {

  static final Set<String> ADDED =
      Set.of("rfm_r_score", "rfm_f_score", "rfm_m_score", "unresolved_contacts", "order_trend");

  /** CustomerProfile as it was before {@link #ADDED}: the same fields without them. */
  static Schema before() {
    Schema now = CustomerProfile.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : now.getFields()) {
      if (!ADDED.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
  }

  @Test
  void addedFieldsAreNullableWithNullDefaults() {
    for (String name : ADDED) {
      Schema.Field f = CustomerProfile.getClassSchema().getField(name);
      assertEquals(Schema.Type.UNION, f.schema().getType(), name);
      assertEquals(Schema.Type.NULL, f.schema().getTypes().get(0).getType(), name);
      assertEquals(org.apache.avro.JsonProperties.NULL_VALUE, f.defaultVal(), name);
      assertEquals(true, f.doc() != null && f.doc().length() > 40, name + " documents itself");
    }
    assertEquals(
        SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(
                CustomerProfile.getClassSchema(), before())
            .getType());
  }

  @Test
  void aProfileWrittenBeforeReadsWithNullScoresTrendAndUnresolved() throws Exception {
    Schema old = before();
    GenericRecord r = new GenericData.Record(old);
    r.put("customer_pseudonym", "p-1");
    r.put("tenant", "acme");
    r.put("snapshot_date", 20_415);
    r.put("contacts_30d", 1);
    r.put("contacts_90d", 2);
    r.put("channels_used", List.of());
    r.put("complaints", 0);
    r.put("repeat_contacts_7d", 0);
    r.put("rfm_frequency", 3);
    Schema money = old.getField("rfm_monetary").schema();
    ByteBuffer amount =
        new Conversions.DecimalConversion()
            .toBytes(new BigDecimal("12.50"), money, money.getLogicalType());
    r.put("rfm_monetary", amount);
    r.put("rfm_segment", "Loyal");
    r.put("top_categories", List.of("home"));
    r.put("churn_reasons", List.of());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(old).write(r, enc);
    enc.flush();

    CustomerProfile p =
        new SpecificDatumReader<CustomerProfile>(old, CustomerProfile.getClassSchema())
            .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertEquals("p-1", p.getCustomerPseudonym());
    assertEquals("Loyal", p.getRfmSegment());
    assertEquals(new BigDecimal("12.50"), p.getRfmMonetary());
    assertNull(p.getRfmRScore());
    assertNull(p.getRfmFScore());
    assertNull(p.getRfmMScore());
    assertNull(p.getUnresolvedContacts());
    assertNull(p.getOrderTrend());
  }
}
