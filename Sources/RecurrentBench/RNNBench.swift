import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench rnn`: the model of ../shared/anchors/lstm_throughput.py — Embedding →
/// recurrent layer (last step) → Dense(1), binary cross-entropy on logits, Adam 1e-3, random ids
/// and labels — timed the same way, printing the same JSON keys.
///
///     swift run -c release recurrent-bench rnn --cell lstm --batch 64 --seq 100 --embed 128 \
///         --hidden 256 --vocab 20000 --steps 20 --json
struct RNNBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rnn",
    abstract: "Embedding → LSTM/GRU/SimpleRNN → Dense(1) training and inference throughput.")

  @Option(help: "lstm, gru or rnn (tanh).") var cell = "lstm"
  @Option(help: "B") var batch = 64
  @Option(help: "T") var seq = 100
  @Option(help: "E (embedding width = recurrent input size)") var embed = 128
  @Option(help: "H") var hidden = 256
  @Option(help: "V") var vocab = 20000
  @Option(help: "Timed training steps per repeat.") var steps = 20
  @Option(help: "Untimed warm-up steps.") var warmup = 3
  @Option(help: "Repeats of each measurement; the median is reported.") var repeats = 3
  @Option(help: "Batch-1 forward calls per latency repeat.") var latencyIters = 50
  @Option(help: "Seed for weights, ids and labels.") var seed: UInt64 = 0
  @Option(help: "Free-form tag copied into the JSON.") var label = ""
  @Option(help: "Threads for the matrix products (the anchors run torch with 2).") var threads = 2
  @Option(help: "Matrix-product backend: best, portable or openblas.") var backend = "best"
  @Option(
    help: ArgumentHelp(
      "Adam implementation: layers (RecurrentLayers' Optimizer, the default) or internal (a "
        + "Float loop in this file, to separate the optimizer's cost from the recurrent layer's)."))
  var optimizer = "layers"
  @Flag(help: "Time the per-phase breakdown in process CPU time rather than wall time.")
  var phaseCPUTime = false
  @Flag(help: "Skip the inference measurements.") var skipInference = false
  @Flag(help: "Print one JSON line.") var json = false

  func run() throws {
    let chosen: ComputeBackend
    if backend == "best" {
      chosen = .best
    } else if let b = ComputeBackend(rawValue: backend), b.isAvailable {
      chosen = b
    } else {
      throw ValidationError("--backend must be best, portable or openblas (if installed)")
    }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    let config = KernelConfiguration(backend: chosen, threads: threads)
    try KernelConfiguration.$current.withValue(config) { try runCell(config) }
  }

  func runCell(_ config: KernelConfiguration) throws {
    switch cell {
    case "lstm":
      var rng = BenchRNG(seed: seed)
      try measure(LSTM<Float>(inputSize: embed, hiddenSize: hidden, generator: &rng), config, &rng)
    case "gru":
      var rng = BenchRNG(seed: seed)
      try measure(GRU<Float>(inputSize: embed, hiddenSize: hidden, generator: &rng), config, &rng)
    case "rnn":
      var rng = BenchRNG(seed: seed)
      try measure(
        SimpleRNN<Float>(inputSize: embed, hiddenSize: hidden, generator: &rng), config, &rng)
    default:
      throw ValidationError("--cell must be lstm, gru or rnn, received \(cell)")
    }
  }

  /// The benchmark model: the three layers, their optimizer and one training step.
  struct Model<Cell: RecurrentCell> where Cell.Scalar == Float {
    var embedding: Embedding<Float>
    var recurrent: RecurrentLayer<Cell>
    var dense: Dense<Float>
    var optimizer = Optimizer<Float>.adam(learningRate: 1e-3)
    var internalAdam: BenchAdam? = nil
    let loss = BinaryCrossentropy(fromLogits: true)

    /// Logits `[B, 1]` for ids `[B, T]` (inference).
    func predict(_ ids: Tensor<Float>) throws -> Tensor<Float> {
      let (x, _, _) = try embedding.forward(ids)
      return dense.forward(try recurrent(x)).output
    }

    /// Seconds spent per phase, summed over training steps (where the time goes).
    var phases: [String: Double] = [:]

    /// Measures phases in process CPU time (insensitive to other processes on a shared
    /// machine; includes every thread of this one) instead of wall time.
    var cpuClock = false

    func now() -> Double {
      if cpuClock {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
      }
      return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    mutating func timed<R>(_ phase: String, _ body: () throws -> R) rethrows -> R {
      let start = now()
      defer { phases[phase, default: 0] += now() - start }
      return try body()
    }

    /// One Adam step on a batch; returns the loss.
    mutating func trainStep(_ ids: Tensor<Float>, _ labels: Tensor<Float>) throws -> Float {
      var none = NoRandomness()
      let table = embedding
      let layer = recurrent
      let (x, _, rows) = try timed("embedding_forward") { try table.forward(ids) }
      let (result, record) = try timed("rnn_forward") {
        try layer.forward(x, training: true, generator: &none)
      }
      let (logits, denseCache) = dense.forward(result.output)
      let (value, dLogits) = try loss.valueAndGradient(predictions: logits, targets: labels)
      let dDense = dense.backward(dLogits, cache: denseCache)
      let dRecurrent = try timed("rnn_backward") {
        try layer.backward(record, gradOutput: dDense.input)
      }
      let dTable = timed("embedding_backward") {
        table.backward(dRecurrent.input, rows: rows)
      }
      var parameters =
        embedding.parameters + recurrent.parameters + [dense.kernel, dense.bias]
      let gradients = [dTable] + dRecurrent.weights.tensors + [dDense.kernel, dDense.bias]
      // Update the optimizers in place: a copy would share their moment buffers with
      // `self` and make every update copy them first (copy-on-write).
      let start = now()
      if internalAdam != nil {
        internalAdam?.update(&parameters, gradients: gradients)
      } else {
        optimizer.update(&parameters, gradients: gradients)
      }
      phases["optimizer", default: 0] += now() - start
      embedding.parameters = [parameters[0]]
      recurrent.parameters = Array(parameters[1..<5])
      (dense.kernel, dense.bias) = (parameters[5], parameters[6])
      return value
    }
  }

  func measure<Cell: RecurrentCell>(
    _ layer: RecurrentLayer<Cell>, _ config: KernelConfiguration, _ rng: inout BenchRNG
  ) throws where Cell.Scalar == Float {
    let (b, t) = (batch, seq)
    var model = Model(
      embedding: Embedding(inputDim: vocab, outputDim: embed, generator: &rng), recurrent: layer,
      dense: Dense(inputSize: hidden, units: 1, generator: &rng))
    guard ["layers", "internal"].contains(optimizer) else {
      throw ValidationError("--optimizer must be layers or internal, received \(optimizer)")
    }
    if optimizer == "internal" { model.internalAdam = BenchAdam() }
    model.cpuClock = phaseCPUTime
    let batches = max(steps, warmup)
    let ids = (0..<batches).map { _ in
      Tensor<Float>(
        shape: [b, t], scalars: (0..<(b * t)).map { _ in Float(rng.next() % UInt64(vocab)) })
    }
    let labels = (0..<batches).map { _ in
      Tensor<Float>(shape: [b, 1], scalars: (0..<b).map { _ in Float(rng.next() % 2) })
    }

    func seconds(_ body: () throws -> Void) rethrows -> Double {
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    var lastLoss: Float = 0
    let warm = try seconds {
      for i in 0..<warmup { lastLoss = try model.trainStep(ids[i % batches], labels[i % batches]) }
    }
    var trainTimes: [Double] = []
    for _ in 0..<repeats {
      trainTimes.append(
        try seconds {
          for i in 0..<steps {
            lastLoss = try model.trainStep(ids[i % batches], labels[i % batches])
          }
        })
    }
    let train = median(trainTimes)
    let timedSteps = Double(warmup + repeats * steps)
    let phaseJSON = model.phases.keys.sorted().map {
      "\"\($0)\":\(model.phases[$0]! / timedSteps)"
    }.joined(separator: ",")
    var out: [(String, String)] = [
      ("bench", "\"rnn\""), ("framework", "\"recurrent-swift\""), ("model", "\"layers\""),
      ("optimizer", "\"\(optimizer == "internal" ? "bench-internal Adam" : "layers Adam")\""),
      ("label", "\"\(label)\""), ("cell", "\"\(cell)\""), ("batch", "\(b)"), ("seq", "\(t)"),
      ("embed", "\(embed)"), ("hidden", "\(hidden)"), ("vocab", "\(vocab)"),
      ("steps", "\(steps)"), ("threads", "\(config.threads)"),
      ("kernels", "\"\(config)\""), ("warmup", "\(warmup)"), ("repeats", "\(repeats)"),
      ("train_s_per_step", "\(train / Double(steps))"),
      ("train_tokens_per_s", "\(Double(b * t * steps) / train)"),
      ("train_tokens_per_s_all", "\(trainTimes.map { Double(b * t * steps) / $0 })"),
      ("train_gflops_achieved", "\(flopsPerStep() * Double(steps) / train / 1e9)"),
      ("warmup_s", "\(warm)"), ("final_loss", "\(lastLoss)"),
      ("train_s_per_step_by_phase", "{\(phaseJSON)}"),
      ("phase_clock", "\"\(phaseCPUTime ? "process-cpu" : "wall")\""),
    ]
    if !skipInference {
      for i in 0..<3 { _ = try model.predict(ids[i % batches]) }
      var inferTimes: [Double] = []
      for _ in 0..<repeats {
        inferTimes.append(
          try seconds { for i in 0..<steps { _ = try model.predict(ids[i % batches]) } })
      }
      let one = Tensor<Float>(shape: [1, t], scalars: Array(ids[0].scalars[0..<t]))
      for _ in 0..<5 { _ = try model.predict(one) }
      var latencies: [Double] = []
      for _ in 0..<repeats {
        var lat: [Double] = []
        for _ in 0..<latencyIters { lat.append(try seconds { _ = try model.predict(one) }) }
        latencies.append(median(lat) * 1e3)
      }
      let infer = median(inferTimes)
      out += [
        ("infer_seq_per_s", "\(Double(b * steps) / infer)"),
        ("infer_s_per_batch", "\(infer / Double(steps))"),
        ("latency_b1_ms", "\(median(latencies))"),
        ("latency_b1_ms_per_repeat", "\(latencies)"),
      ]
    }
    if json {
      print("{" + out.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    } else {
      for (k, v) in out { print("\(k): \(v)") }
    }
  }

  /// The anchor script's FLOP count: 3 × forward gate products.
  func flopsPerStep() -> Double {
    let gates: Double = ["lstm": 4.0, "gru": 3.0, "rnn": 1.0][cell] ?? 1
    let perStep: Double = 2 * Double(batch) * gates * Double(hidden) * Double(embed + hidden)
    return 3 * perStep * Double(seq)
  }

  func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}

/// SplitMix64: the benchmark's own seeded generator (ids, labels, weights).
struct BenchRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Adam (Kingma & Ba; lr 1e-3, β 0.9/0.999, ε 1e-7 as Keras) as a plain Float loop: only for
/// `--optimizer internal`, to time the recurrent layer apart from RecurrentLayers' Optimizer.
struct BenchAdam {
  var m: [[Float]] = []
  var v: [[Float]] = []
  var t = 0

  mutating func update(_ parameters: inout [Tensor<Float>], gradients: [Tensor<Float>]) {
    if m.isEmpty {
      m = parameters.map { [Float](repeating: 0, count: $0.count) }
      v = m
    }
    t += 1
    let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-7)
    let lr = Float(1e-3 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t))))
    for k in parameters.indices {
      gradients[k].scalars.withUnsafeBufferPointer { g in
        parameters[k].scalars.withUnsafeMutableBufferPointer { w in
          m[k].withUnsafeMutableBufferPointer { m in
            v[k].withUnsafeMutableBufferPointer { v in
              for j in 0..<g.count {
                m[j] = b1 * m[j] + (1 - b1) * g[j]
                v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                w[j] -= lr * m[j] / (v[j].squareRoot() + eps)
              }
            }
          }
        }
      }
    }
  }
}
