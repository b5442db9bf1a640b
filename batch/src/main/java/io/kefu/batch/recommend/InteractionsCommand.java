package io.kefu.batch.recommend;

import io.kefu.batch.BadInputException;
import io.kefu.batch.Sessions;
import io.kefu.batch.profiles.Inputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu batch interactions}: builds the generic interactions file of recommend. */
@Command(
    name = "interactions",
    mixinStandardHelpOptions = true,
    description = {
      "Converts shop data into the interactions file of kefu batch recommend (user,item,weight,"
          + "timestamp,category): the simulator's orders and browsing (--simulator DIR, the"
          + " directory kefu simulate wrote) or the Olist public data set (--olist DIR, read in"
          + " place).",
      "OUT ending in .csv: one CSV file (timestamp in epoch milliseconds); otherwise a Parquet"
          + " directory.",
      "Exit code 2: a missing directory, file or column."
    })
public final class InteractionsCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(
        names = "--simulator",
        required = true,
        paramLabel = "DIR",
        description = "Output of kefu simulate: orders.jsonl|.parquet and browsing.jsonl|.parquet.")
    String simulator;

    @Option(
        names = "--olist",
        required = true,
        paramLabel = "DIR",
        description =
            "Directory of the Olist CSV files (orders, customers, order items, products).")
    String olist;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Interactions file (.csv) or Parquet directory.")
  String out;

  @Option(
      names = "--purchase-weight",
      defaultValue = "3.0",
      paramLabel = "W",
      description = "Weight of an order line (default: ${DEFAULT-VALUE}).")
  double purchaseWeight;

  @Option(
      names = "--cart-weight",
      defaultValue = "2.0",
      paramLabel = "W",
      description = "Weight of an add-to-cart (default: ${DEFAULT-VALUE}).")
  double cartWeight;

  @Option(
      names = "--view-weight",
      defaultValue = "1.0",
      paramLabel = "W",
      description = "Weight of a product view (default: ${DEFAULT-VALUE}).")
  double viewWeight;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master; default: spark.master when submitted with spark-submit, else local[*].")
  String master;

  @Override
  public Integer call() throws IOException {
    long started = System.nanoTime();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!(purchaseWeight > cartWeight && cartWeight >= viewWeight && viewWeight > 0)) {
      throw new BadInputException(
          "weights must satisfy purchase > cart >= view > 0, got "
              + purchaseWeight
              + ", "
              + cartWeight
              + ", "
              + viewWeight);
    }
    try (Sessions.Handle session = Sessions.open("kefu batch interactions", master)) {
      SparkSession spark = session.spark();
      Dataset<Row> interactions;
      if (source.simulator != null) {
        interactions =
            Interactions.fromShop(
                Inputs.orders(spark, simulatorFile(spark, source.simulator, "orders")),
                Inputs.browsing(spark, simulatorFile(spark, source.simulator, "browsing")),
                new Interactions.Weights(purchaseWeight, cartWeight, viewWeight));
      } else {
        interactions = Interactions.fromOlist(spark, source.olist, purchaseWeight);
      }
      Interactions.write(interactions, out);
      long rows = Interactions.read(spark, out).count();
      stdout.printf(
          "kefu batch interactions: wrote %,d interactions to %s in %.1f s%n",
          rows, out, (System.nanoTime() - started) / 1e9);
      stdout.flush();
    }
    return 0;
  }

  /** DIR/NAME.parquet, .jsonl or .jsonl.gz, whichever exists. */
  public static String simulatorFile(SparkSession spark, String dir, String name)
      throws IOException {
    for (String ext : new String[] {".parquet", ".jsonl", ".jsonl.gz"}) {
      Path p = new Path(dir, name + ext);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p)) {
        return p.toString();
      }
    }
    throw new BadInputException(
        "simulator directory "
            + dir
            + ": no "
            + name
            + ".parquet, .jsonl or .jsonl.gz (written by"
            + " kefu simulate with commerce enabled)");
  }
}
