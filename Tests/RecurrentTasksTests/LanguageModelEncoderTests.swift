import Foundation
import RecurrentEmbeddings
import RecurrentLayers
import RecurrentTensor
import XCTest

@testable import RecurrentTasks

final class LanguageModelEncoderTests: XCTestCase {
  /// The language model's output layer and loss equal PyTorch's `cross_entropy` of
  /// `outputs · Wᵀ + b` and its autograd gradients (Tools/make_sentiment_fixtures.py lmhead).
  func testSoftmaxHeadMatchesPyTorch() throws {
    let f = try sentimentFixture("sentiment_lm_head")
    let doubles = { (key: String) in try XCTUnwrap(f[key] as? [Double]) }
    let targets = try XCTUnwrap(f["targets"] as? [Int]).map(Int32.init)
    let step = SoftmaxHead.lossAndGradients(
      outputs: Tensor(shape: [2, 3, 4], scalars: try doubles("outputs")),
      weight: Tensor(shape: [5, 4], scalars: try doubles("weight")),
      bias: Tensor(shape: [5], scalars: try doubles("bias")), targets: targets)
    XCTAssertEqual(step.loss, try XCTUnwrap(f["loss"] as? Double), accuracy: 1e-12)
    XCTAssertEqual(step.gradOutputs.shape, [2, 3, 4])
    for (name, got) in [
      ("d_outputs", step.gradOutputs), ("d_weight", step.gradWeight), ("d_bias", step.gradBias),
    ] {
      let want = try doubles(name)
      XCTAssertEqual(got.count, want.count, name)
      for (a, b) in zip(got.scalars, want) { XCTAssertEqual(a, b, accuracy: 1e-12, name) }
    }
  }

  /// Central finite differences of the loss agree with the hand-written backward (Double).
  func testSoftmaxHeadGradientsByFiniteDifferences() throws {
    var rng = RandomGenerator(seed: 5)
    func random(_ shape: [Int]) -> Tensor<Double> {
      Tensor(
        shape: shape,
        scalars: (0..<shape.reduce(1, *)).map { _ in Double.random(in: -1...1, using: &rng) })
    }
    let inputs = [random([2, 2, 3]), random([4, 3]), random([4])]
    let targets: [Int32] = [3, 0, 1, 1]
    let step = SoftmaxHead.lossAndGradients(
      outputs: inputs[0], weight: inputs[1], bias: inputs[2], targets: targets)
    let analytic = [step.gradOutputs, step.gradWeight, step.gradBias]
    let epsilon = 1e-6
    for i in inputs.indices {
      for j in 0..<inputs[i].count {
        var plus = inputs
        var minus = inputs
        plus[i].scalars[j] += epsilon
        minus[i].scalars[j] -= epsilon
        func loss(_ v: [Tensor<Double>]) -> Double {
          SoftmaxHead.lossAndGradients(outputs: v[0], weight: v[1], bias: v[2], targets: targets)
            .loss
        }
        let numeric = (loss(plus) - loss(minus)) / (2 * epsilon)
        XCTAssertEqual(analytic[i].scalars[j], numeric, accuracy: 1e-8, "input \(i) element \(j)")
      }
    }
  }

  /// A corpus that repeats one sentence: vectors for its words, options for a tiny encoder.
  private func tinySetup() -> (EmbeddingCorpus, WordVectors, EncoderPretrainingOptions) {
    let sentence = "the film is good and the play is bad\n"
    let corpus = EmbeddingCorpus(text: Array(String(repeating: sentence, count: 40).utf8))
    let words = ["the", "film", "is", "good", "and", "play", "bad"]
    var rng = RandomGenerator(seed: 9)
    let vectors = WordVectors(
      words: words, dimension: 3,
      vectors: (0..<(words.count * 3)).map { _ in Float.random(in: -1...1, using: &rng) })
    var options = EncoderPretrainingOptions()
    options.units = 8
    options.outputVocabulary = 6  // five words and one class for the other two
    options.sequenceLength = 6
    options.batchSize = 8
    options.epochs = 8
    options.learningRate = 0.03
    return (corpus, vectors, options)
  }

  /// On a corpus that repeats one sentence, both directions learn to predict it (perplexity far
  /// below the uniform 6); the same seed gives the same bits; save and load round-trip.
  func testPretrainingLearnsIsDeterministicAndRoundTrips() throws {
    let (corpus, vectors, options) = tinySetup()
    var lines: [String] = []
    let encoder = try LanguageModelEncoder.pretrain(
      corpus: corpus, vectors: vectors, options: options
    ) { lines.append($0) }
    XCTAssertEqual(encoder.inputSize, 3)
    XCTAssertEqual(encoder.units, 8)
    XCTAssertEqual(encoder.trainingPerplexity.count, 2)
    for perplexity in encoder.trainingPerplexity { XCTAssertLessThan(perplexity, 2.0) }
    XCTAssertTrue(lines.contains { $0.hasPrefix("backward LM epoch 8/8") }, "\(lines)")
    let again = try LanguageModelEncoder.pretrain(
      corpus: corpus, vectors: vectors, options: options)
    XCTAssertEqual(
      again.forward.tensors + again.backward.tensors,
      encoder.forward.tensors + encoder.backward.tensors)

    let directory = try temporaryDirectory(self)
    let path = directory.appendingPathComponent("encoder.safetensors").path
    try encoder.save(path: path)
    let loaded = try LanguageModelEncoder.load(path: path)
    XCTAssertEqual(
      loaded.forward.tensors + loaded.backward.tensors,
      encoder.forward.tensors + encoder.backward.tensors)
    XCTAssertEqual(loaded.trainingPerplexity, encoder.trainingPerplexity)
    // PyTorch's names for a bidirectional nn.LSTM, so torch can load the file as a state dict.
    XCTAssertEqual(
      Set(try Safetensors.entries(contentsOf: URL(fileURLWithPath: path)).map(\.name)),
      [
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse",
        "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
      ])
  }

  /// A corpus too short for one sequence and bad options are refused with the setting's name.
  func testPretrainingRefusesBadInput() throws {
    let (_, vectors, options) = tinySetup()
    let short = EmbeddingCorpus(text: Array("the film".utf8))
    XCTAssertThrowsError(
      try LanguageModelEncoder.pretrain(corpus: short, vectors: vectors, options: options)
    ) { error in
      XCTAssertTrue("\(error)".contains("corpus"), "\(error)")
    }
    // A rate that blows the loss up is reported with the fix, not saved as a broken encoder.
    let (corpus, _, _) = tinySetup()
    var diverging = options
    diverging.learningRate = 1e38
    diverging.clipNorm = 1e38
    XCTAssertThrowsError(
      try LanguageModelEncoder.pretrain(corpus: corpus, vectors: vectors, options: diverging)
    ) { error in
      XCTAssertTrue("\(error)".contains("diverge"), "\(error)")
    }
    var bad = options
    bad.outputVocabulary = 1
    XCTAssertThrowsError(try bad.validate()) { error in
      XCTAssertTrue("\(error)".contains("outputVocabulary"), "\(error)")
    }
  }

  /// Files that are not encoders — another safetensors file, a truncated one, an encoder with a
  /// tensor missing — are refused with the path and what to do.
  func testLoadRefusesForeignAndDamagedFiles() throws {
    let directory = try temporaryDirectory(self)
    let foreign = directory.appendingPathComponent("foreign.safetensors")
    try Safetensors.write(["w": Tensor<Float>(zeros: [2])], to: foreign)
    XCTAssertThrowsError(try LanguageModelEncoder.load(path: foreign.path)) { error in
      XCTAssertTrue("\(error)".contains(foreign.path), "\(error)")
      XCTAssertTrue("\(error)".contains("sentiment pretrain"), "\(error)")
    }
    let (corpus, vectors, options) = tinySetup()
    var short = options
    short.epochs = 1
    let encoder = try LanguageModelEncoder.pretrain(
      corpus: corpus, vectors: vectors, options: short)
    let good = directory.appendingPathComponent("encoder.safetensors")
    try encoder.save(path: good.path)
    let bytes = try Data(contentsOf: good)
    let truncated = directory.appendingPathComponent("truncated.safetensors")
    try bytes.prefix(bytes.count - 40).write(to: truncated)
    XCTAssertThrowsError(try LanguageModelEncoder.load(path: truncated.path)) { error in
      XCTAssertTrue("\(error)".contains(truncated.path), "\(error)")
    }
    var tensors = try Safetensors.read(contentsOf: good)
    tensors["bias_hh_l0_reverse"] = nil
    let missing = directory.appendingPathComponent("missing.safetensors")
    try Safetensors.write(
      tensors, to: missing, metadata: ["format": "recurrent-lm-encoder", "version": "1"])
    XCTAssertThrowsError(try LanguageModelEncoder.load(path: missing.path)) { error in
      XCTAssertTrue("\(error)".contains("bias_hh_l0_reverse"), "\(error)")
    }
  }

  /// The tiny encoder and its vectors saved in a temporary directory.
  private func savedTinyEncoder() throws -> (
    encoder: LanguageModelEncoder, encoderPath: String, vectorsPath: String, directory: URL
  ) {
    let (corpus, vectors, pretraining) = tinySetup()
    let encoder = try LanguageModelEncoder.pretrain(
      corpus: corpus, vectors: vectors, options: pretraining)
    let directory = try temporaryDirectory(self)
    let encoderPath = directory.appendingPathComponent("encoder.safetensors").path
    try encoder.save(path: encoderPath)
    let vectorsPath = directory.appendingPathComponent("vectors.vec").path
    try vectors.save(path: vectorsPath, format: .word2vecText)
    return (encoder, encoderPath, vectorsPath, directory)
  }

  /// Labeled texts over the tiny corpus's words.
  private func tinyLabeledTexts() -> LabeledTexts {
    let texts = (0..<32).map { i in i % 2 == 0 ? "the film is good" : "the play is bad" }
    return LabeledTexts(texts: texts, labels: (0..<32).map { i in i % 2 == 0 ? "1" : "0" })
  }

  /// A BiLSTM classifier starts from the encoder's LSTMs: with a vanishing learning rate its
  /// trained weights are the encoder's (an LSTM takes the forward one).
  func testClassifierStartsFromTheEncoder() throws {
    let (encoder, encoderPath, vectorsPath, _) = try savedTinyEncoder()
    var options = smallRecurrentOptions(
      epochs: 1, maxLength: 6, vocabularySize: 20, embeddingDim: 3, hiddenUnits: 8)
    options.ensemble = 1
    options.validationSplit = 0
    options.learningRate = 1e-12
    options.pretrainedVectors = vectorsPath
    options.pretrainedEncoder = encoderPath
    for kind in [SentimentModelKind.bilstm, .lstm] {
      let model = try SentimentClassifier(
        training: tinyLabeledTexts(), kind: kind, options: options)
      guard case let .recurrent(_, networks) = model.engine else {
        return XCTFail("a recurrent engine")
      }
      let layer = try XCTUnwrap(
        networks[0].layers.first { $0.parameterNames.first == "weight_ih_l0" })
      let want = encoder.forward.tensors + (kind == .bilstm ? encoder.backward.tensors : [])
      XCTAssertEqual(layer.parameters.count, want.count)
      for (got, expected) in zip(layer.parameters, want) {
        XCTAssertEqual(got.shape, expected.shape)
        for (a, b) in zip(got.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
      }
    }
  }

  /// An encoder with the wrong units or vectors, without vectors, or for a GRU is refused with
  /// the fix.
  func testClassifierRefusesAnEncoderThatDoesNotFit() throws {
    let (_, encoderPath, vectorsPath, directory) = try savedTinyEncoder()
    let otherVectors = WordVectors(words: ["the"], dimension: 2, vectors: [0.5, -0.5])
    let otherPath = directory.appendingPathComponent("other.vec").path
    try otherVectors.save(path: otherPath, format: .word2vecText)
    var options = smallRecurrentOptions(
      epochs: 1, maxLength: 6, vocabularySize: 20, embeddingDim: 3, hiddenUnits: 8)
    options.ensemble = 1
    options.pretrainedVectors = vectorsPath
    options.pretrainedEncoder = encoderPath
    let data = tinyLabeledTexts()
    func refused(_ o: SentimentOptions, _ kind: SentimentModelKind, _ expected: String) {
      XCTAssertThrowsError(try SentimentClassifier(training: data, kind: kind, options: o)) {
        XCTAssertTrue("\($0)".contains(expected), "\($0)")
      }
    }
    refused(options, .gru, "lstm or bilstm")
    var units = options
    units.hiddenUnits = 4
    refused(units, .bilstm, "--hidden 8")
    var dimension = options
    dimension.pretrainedVectors = otherPath
    refused(dimension, .bilstm, "3 dimensions")
    var noVectors = options
    noVectors.pretrainedVectors = nil
    refused(noVectors, .bilstm, "pretrainedVectors")
  }
}
