import RecurrentLayers
import RecurrentTensor
import XCTest

final class BidirectionalTests: XCTestCase {
  func makeBidirectional(
    _ merge: Bidirectional<LSTMCell<Double>>.Merge, returnSequences: Bool, _ rng: inout TestRNG
  ) -> Bidirectional<LSTMCell<Double>> {
    Bidirectional(
      forward: LSTM(inputSize: 3, hiddenSize: 2, returnSequences: returnSequences, generator: &rng),
      backward: LSTM(inputSize: 3, hiddenSize: 2, generator: &rng), merge: merge)
  }

  func testEveryMergeModeMatchesFiniteDifferences() throws {
    var rng = TestRNG(seed: 41)
    for merge in Bidirectional<LSTMCell<Double>>.Merge.allCases {
      for returnSequences in [true, false] {
        let bi = makeBidirectional(merge, returnSequences: returnSequences, &rng)
        try checkGradients(
          bi, batch: 3, time: 3, mask: SequenceMask(lengths: [3, 1, 2]),
          "bidirectional \(merge) sequences \(returnSequences)")
      }
    }
  }

  func testMergeModesCombineTheTwoDirections() throws {
    var rng = TestRNG(seed: 42)
    let x: Tensor<Double> = randomTensor([2, 4, 3], &rng)
    let none = makeBidirectional(.none, returnSequences: true, &rng)
    var probe = NoRandomness()
    let (split, _) = try none.forward(x, training: false, generator: &probe)
    XCTAssertEqual(split.outputs.count, 2)
    XCTAssertEqual(split.states.count, 4)
    let (a, b) = (split.outputs[0].scalars, split.outputs[1].scalars)
    // The backward half equals a goBackwards layer run alone.
    XCTAssertEqual(try none.backwardLayer(x).scalars, b)
    XCTAssertTrue(none.backwardLayer.goBackwards)
    var concat: [Double] = []
    for r in 0..<8 {
      concat += a[(r * 2)..<(r * 2 + 2)]
      concat += b[(r * 2)..<(r * 2 + 2)]
    }
    let sum: [Double] = zip(a, b).map { $0 + $1 }
    let average: [Double] = zip(a, b).map { ($0 + $1) / 2 }
    let product: [Double] = zip(a, b).map { $0 * $1 }
    let expected: [(Bidirectional<LSTMCell<Double>>.Merge, [Double])] = [
      (.sum, sum), (.average, average), (.multiply, product), (.concat, concat),
    ]
    for (merge, want) in expected {
      var layer = none
      layer.merge = merge
      XCTAssertEqual(
        try layer.forward(x, training: false, generator: &probe).0.output.scalars, want)
    }
  }
}
