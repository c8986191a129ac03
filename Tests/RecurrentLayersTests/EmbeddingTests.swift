import RecurrentLayers
import RecurrentTensor
import XCTest

final class EmbeddingTests: XCTestCase {
  func testGoldenLookupMaskAndTableGradientAgainstKeras() throws {
    let c = try XCTUnwrap(Fixture("train_layers").cases.first { $0.0 == "embedding_mask_zero" }?.1)
    let emb = Embedding<Double>(weights: tensor(c["table"]), maskZero: true, trainable: true)
    let (y, mask, rows) = try emb.forward(tensor(c["ids"]))
    XCTAssertEqual(y.shape, [2, 3, 3])
    assertClose(y.scalars, doubles((c["y"] as! [String: Any])["values"]), tol: 0, "lookup")
    assertClose(mask!.scalars, doubles((c["mask"] as! [String: Any])["values"]), tol: 0, "mask")
    let dTable = emb.backward(tensor(c["upstream"]), rows: rows)
    assertClose(
      dTable.scalars, doubles((c["dtable"] as! [String: Any])["values"]), tol: 1e-12, "dtable")
  }

  func testFiniteDifferencesOnTable() throws {
    var rng = TestGenerator(seed: 1)
    let emb = Embedding<Double>(inputDim: 4, outputDim: 3, generator: &rng)
    let ids = Tensor<Double>(shape: [2, 3], scalars: [1, 3, 3, 0, 2, 1])
    try checkLayerGradients(emb, input: ids, checkInput: false, "embedding")
    var none = TestGenerator(seed: 0)
    XCTAssertNil(
      try emb.forward(ids, mask: nil, training: true, generator: &none).backward(
        Tensor(zeros: [2, 3, 3])
      ).input)
  }

  func testInitRangeFrozenPretrainedAndErrors() throws {
    var rng = TestGenerator(seed: 2)
    var emb = Embedding<Float>(inputDim: 100, outputDim: 8)
    XCTAssertFalse(emb.isBuilt)
    try emb.build(inputShape: [5], generator: &rng)
    XCTAssertEqual(emb.embeddings.shape, [100, 8])
    XCTAssert(emb.embeddings.scalars.allSatisfy { abs($0) <= 0.05 })
    XCTAssert(emb.isTrainable)
    XCTAssertEqual(try emb.outputShape(inputShape: [5]), [5, 8])

    let frozen = Embedding<Float>(weights: Tensor(shape: [2, 2], scalars: [0, 0, 1, 2]))
    XCTAssertFalse(frozen.isTrainable)
    XCTAssertEqual(try frozen(Tensor(shape: [1, 2], scalars: [1, 0])).scalars, [1, 2, 0, 0])
    XCTAssertThrowsError(try frozen(Tensor(shape: [1, 2], scalars: [1, 2]))) { error in
      XCTAssertEqual(
        error as? LayerError, .indexOutOfRange(layer: "Embedding", flatIndex: 1, value: 2, limit: 2)
      )
    }
    XCTAssertThrowsError(try frozen(Tensor(shape: [1], scalars: [0.5])))
  }
}
