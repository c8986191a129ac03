import Foundation
import RecurrentLayers
import RecurrentTasks
import RecurrentTensor
import XCTest

final class SentimentPretrainedEmbeddingTests: XCTestCase {
  /// `[V, D]` tables with distinct entries.
  private func table(_ v: Int, _ d: Int, offset: Double) -> Tensor<Double> {
    Tensor(shape: [v, d], scalars: (0..<(v * d)).map { offset + 0.1 * Double($0) })
  }

  /// Sum adds the static and tuned rows, concat puts the static row first; padding is masked.
  func testChannelsCombineStaticAndTunedRows() throws {
    let start = table(4, 2, offset: 1)
    var layer = PretrainedEmbedding<Double>(weights: start, channels: .concat)
    layer.embeddings = table(4, 2, offset: -5)
    let ids = Tensor<Double>(shape: [1, 3], scalars: [2, 0, 3])
    var rng = RandomGenerator(seed: 1)
    let concat = try layer.forward(ids, mask: nil, training: false, generator: &rng)
    XCTAssertEqual(concat.output.shape, [1, 3, 4])
    // Row 2 of start = [1.4, 1.5], row 2 of tuned = [-4.6, -4.5], etc.
    let expected: [Double] = [1.4, 1.5, -4.6, -4.5, 1.0, 1.1, -5.0, -4.9, 1.6, 1.7, -4.4, -4.3]
    for (a, b) in zip(concat.output.scalars, expected) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    XCTAssertEqual(concat.mask?.scalars, [1, 0, 1])
    layer.channels = .sum
    let sum = try layer.forward(ids, mask: nil, training: false, generator: &rng)
    XCTAssertEqual(sum.output.shape, [1, 3, 2])
    let sums: [Double] = [-3.2, -3.0, -4.0, -3.8, -2.8, -2.6]
    for (a, b) in zip(sum.output.scalars, sums) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    XCTAssertEqual(try layer.outputShape(inputShape: [3]), [3, 2])
  }

  /// The tuned table's gradient is that of `Σ output·R + λ/2‖W − W₀‖²` (central finite
  /// differences in Double, every channel mode, a repeated id); the static table gets none.
  func testGradientMatchesFiniteDifferences() throws {
    let ids = Tensor<Double>(shape: [2, 3], scalars: [1, 3, 0, 3, 2, 1])
    let start = table(4, 3, offset: 0.2)
    for channels in SentimentEmbeddingChannels.allCases {
      for lambda in [0.0, 0.7] {
        var layer = PretrainedEmbedding<Double>(weights: start, channels: channels, l2sp: lambda)
        layer.embeddings = Tensor(
          shape: [4, 3], scalars: start.scalars.enumerated().map { $1 + sin(Double($0)) })
        let width = channels == .concat ? 6 : 3
        let r = (0..<(6 * width)).map { cos(Double($0) * 0.7) }
        func objective(_ l: PretrainedEmbedding<Double>) throws -> Double {
          var rng = RandomGenerator(seed: 1)
          let y = try l.forward(ids, mask: nil, training: true, generator: &rng).output
          let penalty = zip(l.embeddings.scalars, start.scalars).reduce(0.0) {
            $0 + ($1.0 - $1.1) * ($1.0 - $1.1)
          }
          return zip(y.scalars, r).reduce(0.0) { $0 + $1.0 * $1.1 } + lambda / 2 * penalty
        }
        var rng = RandomGenerator(seed: 1)
        let f = try layer.forward(ids, mask: nil, training: true, generator: &rng)
        let grads = f.backward(Tensor(shape: f.output.shape, scalars: r)).parameters
        XCTAssertEqual(grads.count, layer.keepsPretrained ? 2 : 1)
        if layer.keepsPretrained { XCTAssertTrue(grads[1].scalars.allSatisfy { $0 == 0 }) }
        let h = 1e-6
        for j in 0..<12 {
          var plus = layer
          plus.embeddings.scalars[j] += h
          var minus = layer
          minus.embeddings.scalars[j] -= h
          let numeric = (try objective(plus) - objective(minus)) / (2 * h)
          XCTAssertEqual(
            grads[0].scalars[j], numeric, accuracy: 1e-6, "\(channels) λ \(lambda) entry \(j)")
        }
      }
    }
  }

  /// With a static channel the pretrained table never moves while the tuned one trains; the
  /// model saves and loads; options that contradict each other are refused.
  func testClassifierKeepsStaticChannelAndRoundTrips() throws {
    let dir = try temporaryDirectory(self)
    let words = ["good", "bad", "fun", "dull", "film", "a"]
    let lines = words.enumerated().map { k, w in
      w + " "
        + (0..<4).map { String(format: "%.2f", sin(Double(4 * k + $0))) }.joined(separator: " ")
    }
    let vectors = try write(
      "\(words.count) 4\n" + lines.joined(separator: "\n") + "\n", "v.vec", in: dir)
    let texts = ["a good film", "good fun", "a bad film", "dull bad", "fun film", "a dull film"]
    let data = LabeledTexts(texts: texts, labels: ["1", "1", "0", "0", "1", "0"])
    var options = SentimentOptions()
    options.epochs = 3
    options.batchSize = 2
    options.maxLength = 4
    options.hiddenUnits = 3
    options.validationSplit = 0
    options.verbose = 0
    options.ensemble = 1
    options.pretrainedVectors = vectors
    options.embeddingChannels = .concat
    options.embeddingL2SP = 0.01
    options.embeddingLearningRateMultiplier = 0.5
    let model = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let predictions = try model.predict(texts)
    let saved = dir.appendingPathComponent("model")
    try model.save(to: saved)
    XCTAssertEqual(try SentimentClassifier(contentsOf: saved).predict(texts), predictions)
    let network = try Sequential<Float>.load(
      from: saved.appendingPathComponent("network"),
      registry: {
        var r = LayerRegistry<Float>.builtIn
        r.register(PretrainedEmbedding<Float>.className) { c, _ in
          PretrainedEmbedding<Float>(
            inputDim: c["input_dim"]!.intValue!, outputDim: c["output_dim"]!.intValue!,
            channels: SentimentEmbeddingChannels(rawValue: c["channels"]!.stringValue!)!,
            l2sp: c["l2sp"]!.doubleValue!)
        }
        return r
      }())
    let layer = try XCTUnwrap(network.layers[0] as? PretrainedEmbedding<Float>)
    // Row 2 is the most frequent word, "film"; its starting vector is sin(16…19).
    let film = Array(layer.pretrained.scalars[8..<12])
    for (k, v) in film.enumerated() {
      XCTAssertEqual(v, Float(String(format: "%.2f", sin(Double(16 + k))))!, accuracy: 1e-6)
    }
    XCTAssertNotEqual(Array(layer.embeddings.scalars[8..<12]), film, "the tuned table trained")
    var bad = options
    bad.pretrainedVectors = nil
    XCTAssertThrowsError(try bad.validate())
    bad = options
    bad.freezeEmbeddings = true
    XCTAssertThrowsError(try bad.validate())
  }
}
