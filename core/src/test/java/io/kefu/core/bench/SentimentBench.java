package io.kefu.core.bench;

import io.kefu.core.sentiment.MessageScore;
import io.kefu.core.sentiment.SentimentScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Messages per second of {@link SentimentScorer#score} on a realistic chat mix (about 45 % Chinese,
 * 45 % English, 10 % mixed; 6-60 characters, some emoji and repeated punctuation), and the model
 * load time. Run with {@code bench/jmh.sh core SentimentBench}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SentimentBench {
  static final String[] MESSAGES = {
    "请问我的订单什么时候发货？",
    "你们这是什么破服务！！！",
    "谢谢，问题解决了！",
    "快递比预计晚了两天，有点失望",
    "我要投诉！马上给我退款！",
    "好的，我等你们通知",
    "衣服颜色和图片不太一样，不太满意",
    "客服态度很好，点赞 👍",
    "订单号是SO20251123001，麻烦查一下",
    "再不处理我就打12315了",
    "耳机左边声音有点小，不知道是不是质量问题，能换一个吗？",
    "非常满意，下次还来",
    "Hi, I'd like to check the status of my order.",
    "This is absolutely unacceptable!!! I want a refund NOW!",
    "Thank you so much, that fixed it!",
    "The package arrived a bit late and the box was damaged.",
    "Can I change my delivery address?",
    "Not bad at all, I'm satisfied.",
    "You people are scammers and I'm reporting you to the BBB.",
    "OK, I'll wait for the email 😊",
    "My refund hasn't arrived yet and I'm a little worried.",
    "Is this available in blue?",
    "I've been waiting THREE WEEKS. WHERE IS MY PACKAGE???",
    "Great service, really appreciate your help.",
    "这个app太垃圾了 totally useless!!!",
    "The 快递 was late again, 有点失望",
    "谢谢 so much，问题解决了 👍",
  };

  SentimentScorer scorer;

  @Setup(Level.Trial)
  public void setUp() {
    scorer = SentimentScorer.defaults();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(27)
  public void scoreMix(Blackhole bh) {
    for (String m : MESSAGES) {
      MessageScore s = scorer.score(m);
      bh.consume(s);
    }
  }

  /** Loading the model from a file (what {@link SentimentScorer#defaults()} does once). */
  @State(Scope.Benchmark)
  public static class ModelFile {
    Path file;

    @Setup(Level.Trial)
    public void write() throws IOException {
      file = Files.createTempFile("kefu-sentiment", ".bin");
      SentimentScorer.defaults().writeModel(file);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 10)
  public SentimentScorer loadModel(ModelFile f) throws IOException {
    return SentimentScorer.load(f.file);
  }
}
