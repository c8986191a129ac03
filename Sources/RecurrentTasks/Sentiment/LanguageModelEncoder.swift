// A BiLSTM sentiment encoder pretrained on unlabeled text as two language models: the forward
// LSTM learns to predict the next word, the backward LSTM the previous one (ELMo's bidirectional
// LM, Peters et al. 2018; pretraining then fine-tuning a classifier: Dai & Le 2015, ULMFiT).
// Both read the same frozen word vectors the classifier starts from, so their weights mean the
// same thing in the classifier as in pretraining.
import Foundation
import RecurrentEmbeddings
import RecurrentLayers
import RecurrentTensor

/// Settings of ``LanguageModelEncoder/pretrain(corpus:vectors:options:progress:)``.
///
/// ```swift
/// var options = EncoderPretrainingOptions()
/// options.units = 64          // must equal the classifier's hiddenUnits
/// options.epochs = 1
/// ```
public struct EncoderPretrainingOptions: Sendable, Codable, Equatable {
  /// Units `H` per direction (the classifier's ``SentimentOptions/hiddenUnits`` must match).
  public var units = 64
  /// Classes the language models predict: the `outputVocabulary − 1` most frequent corpus words
  /// and one class for every other word.
  public var outputVocabulary = 10_000
  /// Tokens per training sequence: the corpus is one token stream cut into pieces this long.
  public var sequenceLength = 50
  /// Sequences per batch.
  public var batchSize = 64
  /// Passes over the corpus, per direction.
  public var epochs = 1
  /// Adam's learning rate.
  public var learningRate = 2e-3
  /// The joint L2 norm all gradients of a batch are scaled down to (PyTorch's
  /// `clip_grad_norm_`), which keeps early language-model steps stable.
  public var clipNorm = 1.0
  /// Seed for initialization and the order of sequences.
  public var seed: UInt64 = 1

  public init() {}

  /// - Throws: ``SentimentError/invalidParameter(name:value:expected:)`` for a value out of range.
  public func validate() throws {
    try SentimentError.require(units >= 1, "units", units, "at least 1")
    try SentimentError.require(
      outputVocabulary >= 2, "outputVocabulary", outputVocabulary, "at least 2")
    try SentimentError.require(sequenceLength >= 1, "sequenceLength", sequenceLength, "at least 1")
    try SentimentError.require(batchSize >= 1, "batchSize", batchSize, "at least 1")
    try SentimentError.require(epochs >= 1, "epochs", epochs, "at least 1")
    try SentimentError.require(learningRate > 0, "learningRate", learningRate, "positive")
    try SentimentError.require(clipNorm > 0, "clipNorm", clipNorm, "positive")
  }
}

/// The two LSTMs of a pretrained bidirectional language model, ready to initialize a BiLSTM
/// classifier (``SentimentOptions/pretrainedEncoder``).
///
/// Weights are in PyTorch's layout (gate order `i|f|g|o`, `weight_ih` `[4H, D]`, `weight_hh`
/// `[4H, H]`), saved under PyTorch's names for a bidirectional `nn.LSTM` (`weight_ih_l0`, …,
/// `bias_hh_l0_reverse`), so the file also loads as that module's state dict.
///
/// ```swift
/// let corpus = try SentimentWordVectors.readCorpus(path: "train.txt.gz")
/// let vectors = try WordVectors.load(path: "/tmp/gut-ft100.vec")
/// let encoder = try LanguageModelEncoder.pretrain(corpus: corpus, vectors: vectors)
/// try encoder.save(path: "/tmp/gut-encoder.safetensors")
/// ```
public struct LanguageModelEncoder: Sendable {
  /// The forward language model's LSTM (reads left to right, predicts the next word).
  public var forward: RecurrentWeights<Float>
  /// The backward language model's LSTM (reads right to left, predicts the previous word).
  public var backward: RecurrentWeights<Float>
  /// Each direction's training perplexity in its last epoch — `exp` of the mean batch loss, each
  /// batch scored by the weights before its update — forward first.
  public var trainingPerplexity: [Double]

  /// `D`, the word-vector dimension.
  public var inputSize: Int { forward.weightIH.shape[1] }
  /// `H`, units per direction.
  public var units: Int { forward.weightHH.shape[1] }

  /// The file format's name and version, stored in the safetensors metadata.
  static let format = "recurrent-lm-encoder"
  static let version = "1"

  public init(
    forward: RecurrentWeights<Float>, backward: RecurrentWeights<Float>,
    trainingPerplexity: [Double] = []
  ) {
    self.forward = forward
    self.backward = backward
    self.trainingPerplexity = trainingPerplexity
  }

  /// Trains the forward and then the backward language model on `corpus` (read as one token
  /// stream) over the frozen `vectors`; corpus words without a vector read a zero vector.
  ///
  /// - Parameter progress: called every 100 batches and at each epoch's end with a line of
  ///   progress (direction, batch, running loss, tokens per second).
  /// - Throws: ``SentimentError/invalidParameter(name:value:expected:)`` for bad options or a
  ///   corpus too short for one batch.
  public static func pretrain(
    corpus: EmbeddingCorpus, vectors: WordVectors,
    options: EncoderPretrainingOptions = .init(), progress: ((String) -> Void)? = nil
  ) throws -> LanguageModelEncoder {
    try options.validate()
    guard corpus.tokenCount > options.sequenceLength else {
      throw SentimentError.invalidParameter(
        name: "corpus", value: "\(corpus.tokenCount) tokens",
        expected: "more than \(options.sequenceLength) tokens (one sequence and its next word)")
    }
    let data = LanguageModelData(corpus: corpus, vectors: vectors, options: options)
    var rng = RandomGenerator(seed: options.seed)
    var directions: [RecurrentWeights<Float>] = []
    var perplexities: [Double] = []
    for reversed in [false, true] {
      let (weights, perplexity) = try trainDirection(
        data, reversed: reversed, options: options, generator: &rng, progress: progress)
      directions.append(weights)
      perplexities.append(perplexity)
    }
    return LanguageModelEncoder(
      forward: directions[0], backward: directions[1], trainingPerplexity: perplexities)
  }

  /// One language model: frozen vectors → LSTM → softmax over the output vocabulary.
  static func trainDirection(
    _ data: LanguageModelData, reversed: Bool, options: EncoderPretrainingOptions,
    generator rng: inout RandomGenerator, progress: ((String) -> Void)?
  ) throws -> (RecurrentWeights<Float>, Double) {
    let (d, h, k) = (data.dimension, options.units, data.classCount)
    let name = reversed ? "backward" : "forward"
    var lstm = LSTM<Float>(
      inputSize: d, hiddenSize: h, returnSequences: true, generator: &rng)
    // PyTorch's nn.Linear initialization: U(−1/√H, 1/√H) for weight and bias.
    let bound = Float(1 / Double(h).squareRoot())
    var head = [
      Tensor<Float>(uniform: [k, h], bound: bound, using: &rng),
      Tensor<Float>(uniform: [k], bound: bound, using: &rng),
    ]
    var optimizer = Optimizer<Float>.adam(
      learningRate: .constant(options.learningRate), globalClipNorm: options.clipNorm)
    let sequences = data.sequenceCount
    var perplexity = Double.nan
    for epoch in 1...options.epochs {
      let order = Array(0..<sequences).shuffled(using: &rng)
      var lossSum = 0.0
      var batches = 0
      let start = Date()
      for first in stride(from: 0, to: sequences, by: options.batchSize) {
        let rows = Array(order[first..<min(first + options.batchSize, sequences)])
        let (x, targets) = data.batch(rows, reversed: reversed)
        let (result, record) = try lstm.forward(x, training: true, generator: &rng)
        let outputs = result.output
        let step = SoftmaxHead.lossAndGradients(
          outputs: outputs, weight: head[0], bias: head[1], targets: targets)
        guard step.loss.isFinite else {
          throw SentimentError.invalidParameter(
            name: "learningRate", value: "\(options.learningRate)",
            expected:
              "a rate at which the \(name) language model does not diverge (its loss became "
              + "\(step.loss) at batch \(batches + 1) of epoch \(epoch)); lower it, and check "
              + "that the vectors are finite")
        }
        let grads = try lstm.backward(record, gradOutput: step.gradOutputs)
        var parameters = lstm.weights.tensors + head
        optimizer.update(
          &parameters, gradients: grads.weights.tensors + [step.gradWeight, step.gradBias])
        lstm.weights.tensors = Array(parameters[0..<4])
        head = Array(parameters[4...])
        lossSum += step.loss
        batches += 1
        if batches % 100 == 0, let progress {
          let seconds = Date().timeIntervalSince(start)
          let tokens = Double(batches * options.batchSize * options.sequenceLength)
          progress(
            String(
              format: "%@ LM epoch %d/%d batch %d/%d: loss %.4f, %.0f tokens/s", name, epoch,
              options.epochs, batches, (sequences + options.batchSize - 1) / options.batchSize,
              lossSum / Double(batches), tokens / max(seconds, 1e-9)))
        }
      }
      let meanLoss = lossSum / Double(max(batches, 1))
      perplexity = exp(meanLoss)
      progress?(
        String(
          format: "%@ LM epoch %d/%d: loss %.4f, perplexity %.1f, %.0f s", name, epoch,
          options.epochs, meanLoss, perplexity,
          Date().timeIntervalSince(start)))
    }
    return (lstm.weights, perplexity)
  }
}

extension LanguageModelEncoder {
  /// The tensor names in the file: PyTorch's for a one-layer bidirectional `nn.LSTM`.
  static var tensorNames: [String] {
    RecurrentWeights<Float>.pytorchNames(suffix: "_l0")
      + RecurrentWeights<Float>.pytorchNames(suffix: "_l0_reverse")
  }

  /// Writes the encoder as one safetensors file, atomically (temporary file, then rename).
  public func save(path: String) throws {
    let tensors = Dictionary(
      uniqueKeysWithValues: zip(Self.tensorNames, forward.tensors + backward.tensors))
    var metadata = ["format": Self.format, "version": Self.version]
    metadata["training_perplexity"] = trainingPerplexity.map { String($0) }.joined(separator: ",")
    try Safetensors.write(tensors, to: URL(fileURLWithPath: path), metadata: metadata)
  }

  /// Reads a file written by ``save(path:)``.
  /// - Throws: `SafetensorsError` for a missing, truncated or malformed file;
  ///   ``SentimentError/invalidParameter(name:value:expected:)`` naming the file for one that is
  ///   not an encoder of this version or whose tensors do not fit together.
  public static func load(path: String) throws -> LanguageModelEncoder {
    let url = URL(fileURLWithPath: path)
    func refuse(_ reason: String) -> SentimentError {
      SentimentError.invalidParameter(
        name: "pretrained encoder", value: "\(path) (\(reason))",
        expected: "a file written by `recurrent sentiment pretrain` (format \(format) "
          + "version \(version)); pretrain the encoder again")
    }
    let metadata = try Safetensors.metadata(contentsOf: url)
    guard metadata["format"] == format else { throw refuse("no encoder format tag") }
    guard metadata["version"] == version else {
      throw refuse("version \(metadata["version"] ?? "none")")
    }
    let tensors = try Safetensors.read(contentsOf: url)
    var found: [Tensor<Float>] = []
    for name in tensorNames {
      guard let t = tensors[name] else { throw refuse("tensor \(name) missing") }
      found.append(t)
    }
    let forward = RecurrentWeights(
      weightIH: found[0], weightHH: found[1], biasIH: found[2], biasHH: found[3])
    let backward = RecurrentWeights(
      weightIH: found[4], weightHH: found[5], biasIH: found[6], biasHH: found[7])
    for weights in [forward, backward] {
      let (d, h) = (found[0].shape.last ?? 0, found[1].shape.last ?? 0)
      let fits =
        weights.weightIH.shape == [4 * h, d] && weights.weightHH.shape == [4 * h, h]
        && weights.biasIH.shape == [4 * h] && weights.biasHH.shape == [4 * h] && h > 0 && d > 0
      guard fits else {
        throw refuse(
          "shapes \(weights.tensors.map(\.shape)) are not one LSTM's [4H, D], [4H, H], [4H], [4H]")
      }
    }
    let perplexity = (metadata["training_perplexity"] ?? "").split(separator: ",").compactMap {
      Double($0)
    }
    return LanguageModelEncoder(
      forward: forward, backward: backward, trainingPerplexity: perplexity)
  }
}

/// The corpus as the language models read it: every token's input row (into the frozen vector
/// table) and output class.
struct LanguageModelData {
  /// `[rows + 1, D]`, row 0 zeros (words without a vector).
  let table: [Float]
  let dimension: Int
  /// Per corpus token: its row in `table`.
  let inputRows: [Int32]
  /// Per corpus token: its output class (0 = any word outside the output vocabulary).
  let classes: [Int32]
  let classCount: Int
  let sequenceLength: Int

  init(corpus: EmbeddingCorpus, vectors: WordVectors, options: EncoderPretrainingOptions) {
    dimension = vectors.dimension
    sequenceLength = options.sequenceLength
    var table = [Float](repeating: 0, count: dimension)
    table += vectors.vectors
    self.table = table
    let rowOfWord = corpus.words.map { word in vectors.index[word].map { Int32($0 + 1) } ?? 0 }
    // Output classes by descending count, ties by first appearance (no dictionary order).
    let ranked = corpus.words.indices.sorted {
      corpus.counts[$0] != corpus.counts[$1] ? corpus.counts[$0] > corpus.counts[$1] : $0 < $1
    }
    var classOfWord = [Int32](repeating: 0, count: corpus.words.count)
    for (rank, word) in ranked.prefix(options.outputVocabulary - 1).enumerated() {
      classOfWord[word] = Int32(rank + 1)
    }
    classCount = min(options.outputVocabulary, corpus.words.count + 1)
    inputRows = corpus.tokens.map { rowOfWord[Int($0)] }
    classes = corpus.tokens.map { classOfWord[Int($0)] }
  }

  /// Sequences of the stream (read either way): each needs `sequenceLength` inputs and the word
  /// after its last.
  var sequenceCount: Int { (inputRows.count - 1) / sequenceLength }

  /// Inputs `[B, T, D]` and next-word classes `[B·T]` of sequences `rows`; `reversed` reads the
  /// stream from its end, so the "next" word is the previous one in the text.
  func batch(_ rows: [Int], reversed: Bool) -> (Tensor<Float>, [Int32]) {
    let (t, d) = (sequenceLength, dimension)
    let n = inputRows.count
    var x = [Float](repeating: 0, count: rows.count * t * d)
    var targets = [Int32](repeating: 0, count: rows.count * t)
    for (b, row) in rows.enumerated() {
      for step in 0..<t {
        let position = row * t + step
        let token = reversed ? n - 1 - position : position
        let next = reversed ? token - 1 : token + 1
        let source = Int(inputRows[token]) * d
        let offset = (b * t + step) * d
        for j in 0..<d { x[offset + j] = table[source + j] }
        targets[b * t + step] = classes[next]
      }
    }
    return (Tensor(shape: [rows.count, t, d], scalars: x), targets)
  }
}

/// The language model's output layer and loss: `logits = outputs · Wᵀ + b`, softmax
/// cross-entropy averaged over all `B·T` positions, and its hand-written backward.
enum SoftmaxHead {
  struct Step<S: TensorScalar> {
    var loss: Double
    var gradOutputs: Tensor<S>
    var gradWeight: Tensor<S>
    var gradBias: Tensor<S>
  }

  /// - Parameters: `outputs` `[B, T, H]`, `weight` `[K, H]`, `bias` `[K]`, `targets` `B·T`
  ///   class ids in `0..<K` (the data's own classes, so an id outside is a programmer error).
  static func lossAndGradients<S: TensorScalar>(
    outputs: Tensor<S>, weight: Tensor<S>, bias: Tensor<S>, targets: [Int32]
  ) -> Step<S> {
    let k = weight.shape[0]
    let n = targets.count
    var logits = matmul(outputs, weight, transposeB: true).reshaped([n, k])
    var loss = 0.0
    let scale = S(1) / S(n)
    var gradBias = [S](repeating: 0, count: k)
    bias.withUnsafeBufferPointer { b in
      gradBias.withUnsafeMutableBufferPointer { db in
        logits.withUnsafeMutableBufferPointer { z in
          for row in 0..<n {
            let p = z.baseAddress! + row * k
            S.vectorAdd(p, b.baseAddress!, p, count: k)
            let top = S.vectorMax(p, count: k)
            for j in 0..<k { p[j] -= top }
            let target = Int(targets[row])
            precondition(target >= 0 && target < k, "class id \(target) outside 0..<\(k)")
            let targetLogit = p[target]
            S.vectorExp(p, p, count: k)
            let total = S.vectorSum(p, count: k)
            loss += log(Double(total)) - Double(targetLogit)
            // d loss / d logit = (softmax − one-hot) / n, written over the logits.
            let factor = scale / total
            for j in 0..<k { p[j] *= factor }
            p[target] -= scale
            S.axpy(1, p, db.baseAddress!, count: k)
          }
        }
      }
    }
    let flat = outputs.reshaped([n, outputs.shape[outputs.rank - 1]])
    return Step(
      loss: loss / Double(n),
      gradOutputs: matmul(logits, weight).reshaped(outputs.shape),
      gradWeight: matmul(logits, flat, transposeA: true),
      gradBias: Tensor(shape: [k], scalars: gradBias))
  }
}
