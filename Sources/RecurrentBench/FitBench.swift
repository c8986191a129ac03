import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench fit`: the model of ../shared/anchors/lstm_throughput.py — Embedding →
/// recurrent layer (last step) → Dense(1) sigmoid, binary cross-entropy, Adam 1e-3 (or another
/// rule with `--optimizer`), random ids
/// and labels — trained through the user API, `Sequential.fit`, timed as the Keras anchor times
/// `model.fit`: one call over N + 1 batches, from the end of the first batch to the end of the
/// last (a callback reads the clock), so set-up is left out.
///
///     swift run -c release recurrent-bench fit --cell lstm --batch 32 --seq 50 --embed 64 \
///         --hidden 128 --vocab 10000 --steps 20 --json
struct FitBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Sequential.fit throughput: Embedding → LSTM/GRU/SimpleRNN → Dense(1).")

  @Option(help: "lstm, gru or rnn (tanh).") var cell = "lstm"
  @Option(help: "B") var batch = 32
  @Option(help: "T") var seq = 50
  @Option(help: "E (embedding width)") var embed = 64
  @Option(help: "H") var hidden = 128
  @Option(help: "V") var vocab = 10000
  @Option(help: "Timed training steps per repeat.") var steps = 20
  @Option(help: "Repeats; the median is reported.") var repeats = 3
  @Option(help: "Seed for weights, ids, labels and shuffling.") var seed: UInt64 = 0
  @Option(help: "adam, sgd, rmsprop or adagrad (Keras defaults).") var optimizer = "adam"
  @Option(help: "Threads for the kernels (the anchors run torch with 2).") var threads = 2
  @Flag(help: "Print one JSON line.") var json = false

  /// Reads the clock at the end of the first and of the last batch.
  struct BatchClock: Callback {
    var firstEnd = 0.0
    var lastEnd = 0.0
    mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M) {
      let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
      if batch == 0 { firstEnd = now }
      lastEnd = now
    }
  }

  func run() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    var config = KernelConfiguration.current
    config.threads = threads
    try KernelConfiguration.$current.withValue(config) { try runFit() }
  }

  func runFit() throws {
    let rule: Optimizer<Float>
    switch optimizer {
    case "adam": rule = .adam()
    case "sgd": rule = .sgd()
    case "rmsprop": rule = .rmsprop()
    case "adagrad": rule = .adagrad()
    default:
      throw ValidationError(
        "--optimizer must be adam, sgd, rmsprop or adagrad, received \(optimizer)")
    }
    var rng = RandomGenerator(seed: seed)
    let recurrent: any Layer<Float>
    switch cell {
    case "lstm": recurrent = LSTM<Float>(units: hidden)
    case "gru": recurrent = GRU<Float>(units: hidden)
    case "rnn": recurrent = SimpleRNN<Float>(units: hidden)
    default: throw ValidationError("--cell must be lstm, gru or rnn, received \(cell)")
    }
    var model = Sequential<Float>([
      Embedding(inputDim: vocab, outputDim: embed), recurrent,
      Dense(units: 1, activation: .sigmoid),
    ])
    try model.build(inputShape: [seq], generator: &rng)
    model.compile(optimizer: rule, loss: .binaryCrossentropy(), metrics: [.accuracy])
    let n = batch * (steps + 1)
    let x = Tensor<Float>(
      shape: [n, seq], scalars: (0..<(n * seq)).map { _ in Float(rng.next() % UInt64(vocab)) })
    let y = Tensor<Float>(shape: [n, 1], scalars: (0..<n).map { _ in Float(rng.next() % 2) })
    var times: [Double] = []
    var lastLoss = 0.0
    for _ in 0..<repeats {
      let history = try model.fit(
        x: x, y: y, epochs: 1, batchSize: batch, shuffle: false, callbacks: [BatchClock()],
        verbose: 0, generator: &rng)
      // fit hands back its callbacks; the first is the clock passed above.
      guard let clock = history.callbacks.first as? BatchClock, let loss = history["loss"]?.last
      else { throw ValidationError("fit returned no batch timings or loss") }
      times.append(clock.lastEnd - clock.firstEnd)
      lastLoss = loss
    }
    let t = times.sorted()[times.count / 2]
    let tokens = Double(batch * seq * steps)
    let fields: [(String, String)] = [
      ("bench", "\"fit\""), ("framework", "\"recurrent-swift\""), ("cell", "\"\(cell)\""),
      ("batch", "\(batch)"), ("seq", "\(seq)"), ("embed", "\(embed)"), ("hidden", "\(hidden)"),
      ("vocab", "\(vocab)"), ("optimizer", "\"\(optimizer)\""), ("threads", "\(threads)"),
      ("steps", "\(steps)"), ("repeats", "\(repeats)"),
      ("train_s_per_step", "\(t / Double(steps))"), ("train_tokens_per_s", "\(tokens / t)"),
      ("train_tokens_per_s_all", "\(times.map { tokens / $0 })"), ("final_loss", "\(lastLoss)"),
    ]
    if json {
      print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    } else {
      for (k, v) in fields { print("\(k): \(v)") }
    }
  }
}
