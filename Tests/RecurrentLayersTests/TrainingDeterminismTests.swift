import RecurrentLayers
import RecurrentTensor
import XCTest

/// Issue #3's determinism proof: the same seed gives bit-identical weights after 20 training
/// steps, whether the kernels run on one thread or two.
///
/// The model is sized so that two threads really split work: with B = 16 and T = 8 the LSTM's
/// input projection (B·T × D × 4H = 128 × 64 × 256) and the GRU's (128 × 128 × 192) reach the
/// product's parallel threshold (2²¹ multiply-adds), and Adam's pass over the 25,600-float
/// embedding spans two of its fixed-size chunks.
final class TrainingDeterminismTests: XCTestCase {
  /// Weights after one epoch of 20 batches (320 rows, batch size 16 → 20 Adam steps) with
  /// dropout, recurrent dropout and shuffling all drawing from the one seeded generator.
  func trainedWeightBits(seed: UInt64, config: KernelConfiguration) throws -> [[UInt32]] {
    try KernelConfiguration.$current.withValue(config) {
      var rng = RandomGenerator(seed: seed)
      let rows = 320
      let time = 8
      var ids = [Float]()
      var labels = [Float]()
      for _ in 0..<rows {
        for _ in 0..<time { ids.append(Float(Int.random(in: 1..<400, using: &rng))) }
        labels.append(Float(Int.random(in: 0...1, using: &rng)))
      }
      var model = Sequential<Float> {
        Embedding(inputDim: 400, outputDim: 64)
        Bidirectional(LSTM<Float>(64, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2))
        GRU<Float>(64, dropout: 0.1)
        Dropout(rate: 0.3)
        Dense(1, activation: .sigmoid)
      }
      model.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
      let x = Tensor<Float>(shape: [rows, time], scalars: ids)
      let y = Tensor<Float>(shape: [rows, 1], scalars: labels)
      _ = try model.fit(x: x, y: y, epochs: 1, batchSize: 16, verbose: 0, generator: &rng)
      return model.weights.map { $0.scalars.map(\.bitPattern) }
    }
  }

  func testPortableKernelsGiveTheSameBitsOnOneAndTwoThreads() throws {
    let one = try trainedWeightBits(
      seed: 11, config: KernelConfiguration(backend: .portable, threads: 1))
    let two = try trainedWeightBits(
      seed: 11, config: KernelConfiguration(backend: .portable, threads: 2))
    XCTAssertEqual(one.count, two.count)
    for (k, (a, b)) in zip(one, two).enumerated() {
      XCTAssertEqual(a, b, "weight \(k) differs between 1 and 2 threads")
    }
    let otherSeed = try trainedWeightBits(
      seed: 12, config: KernelConfiguration(backend: .portable, threads: 2))
    XCTAssertNotEqual(one, otherSeed, "a different seed must give different weights")
  }

  /// OpenBLAS splits its own products by thread count, so with it only a fixed thread count
  /// promises the same bits (documented on `ComputeBackend.openblas`).
  func testOpenBLASGivesTheSameBitsForAFixedThreadCount() throws {
    guard ComputeBackend.openblas.isAvailable else {
      throw XCTSkip("libopenblas.so.0 is not installed on this machine")
    }
    let config = KernelConfiguration(backend: .openblas, threads: 2)
    let first = try trainedWeightBits(seed: 5, config: config)
    let second = try trainedWeightBits(seed: 5, config: config)
    XCTAssertEqual(first, second)
  }
}
