package io.kefu.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kefu.schemas.ActorRole;
import io.kefu.schemas.Channel;
import io.kefu.schemas.CustomerProfile;
import io.kefu.schemas.OperationAction;
import io.kefu.schemas.OperationLogRecord;
import io.kefu.schemas.OrderLine;
import io.kefu.schemas.Outcome;
import io.kefu.schemas.ResourceType;
import io.kefu.schemas.json.InvalidRecordException.Problem;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonCodecTest {

  @Test
  void operationLogRecordRoundTripsWithNestedAttributes() throws Exception {
    RecordJsonCodec<OperationLogRecord> codec = RecordJsonCodec.of(OperationLogRecord.class);
    OperationLogRecord r =
        new OperationLogRecord(
            12L,
            Instant.ofEpochMilli(1763881200123L),
            "sup-3",
            ActorRole.SUPERVISOR,
            OperationAction.EXPORT,
            ResourceType.REPORT,
            "daily-2026-11-23",
            null,
            "月度报表",
            "T-88",
            Outcome.ALLOWED,
            "10.0.0.7",
            5000L,
            Map.of("format", "csv"));
    String json = codec.toJson(r);
    assertEquals(
        "{\"sequence\":12,\"time\":1763881200123,\"actor\":\"sup-3\",\"actor_role\":\"SUPERVISOR\","
            + "\"action\":\"EXPORT\",\"resource_type\":\"REPORT\",\"resource_id\":\"daily-2026-11-23\","
            + "\"purpose\":\"月度报表\",\"ticket_ref\":\"T-88\",\"outcome\":\"ALLOWED\","
            + "\"client_address\":\"10.0.0.7\",\"record_count\":5000,\"attributes\":{\"format\":\"csv\"}}",
        json);
    assertEquals(r, codec.fromJson(json));
  }

  @Test
  void profileWithDateDecimalAndArraysRoundTrips() throws Exception {
    RecordJsonCodec<CustomerProfile> codec = RecordJsonCodec.of(CustomerProfile.class);
    CustomerProfile p = new CustomerProfile();
    p.setCustomerPseudonym("p-1");
    p.setTenant("acme");
    p.setSnapshotDate(LocalDate.of(2026, 11, 23));
    p.setContacts30d(3);
    p.setContacts90d(5);
    p.setChannelsUsed(List.of(Channel.APP, Channel.PHONE));
    p.setComplaints(1);
    p.setRepeatContacts7d(0);
    p.setRfmFrequency(4);
    p.setRfmMonetary(new BigDecimal("1234.50"));
    p.setTopCategories(List.of("phones"));
    p.setChurnReasons(List.of());
    p.setRfmRScore(5);
    p.setRfmFScore(2);
    p.setRfmMScore(3);
    p.setUnresolvedContacts(1);
    p.setOrderTrend(-2);
    String json = codec.toJson(p);
    assertEquals(p, codec.fromJson(json));
  }

  @Test
  void decimalsWithTooManyPlacesAreRejected() {
    RecordJsonCodec<OrderLine> codec = RecordJsonCodec.of(OrderLine.class);
    String line =
        "{\"order_id\":\"o1\",\"line_no\":1,\"customer_id\":\"c\",\"tenant\":\"t\","
            + "\"order_time\":1763881200000,\"product_id\":\"p\",\"category\":\"x\","
            + "\"quantity\":1,\"unit_price\":9.999,\"currency\":\"CNY\"}";
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> codec.fromJson(line));
    assertEquals(Problem.INVALID_VALUE, e.problem());
    assertEquals("unit_price", e.field());
  }

  @Test
  void unknownFieldIsAnErrorWhereThereIsNoAttributesMap() {
    RecordJsonCodec<OrderLine> codec = RecordJsonCodec.of(OrderLine.class);
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> codec.fromJson("{\"colour\":\"red\"}"));
    assertEquals(Problem.UNKNOWN_FIELD, e.problem());
    assertEquals("colour", e.field());
  }
}
