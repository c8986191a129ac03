import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

final class ModelSavingTests: XCTestCase {
  /// An encoder–decoder-like graph: two id inputs through one shared Embedding (mask_zero), an
  /// LSTM encoder and a GRU decoder, merged by concatenate and add, a Dense head.
  func encoderDecoder() throws -> Model<Float> {
    var g = ModelGraph<Float>()
    let source = g.input(shape: [5])
    let target = g.input(shape: [4])
    let embed = g.add(Embedding<Float>(inputDim: 12, outputDim: 3, maskZero: true))
    let encoded = try g(LSTM<Float>(4), try g(embed, source))
    let decodedSeq = try g(GRU<Float>(4, returnSequences: true), try g(embed, target))
    let decoded = try g(SimpleRNN<Float>(4), decodedSeq)
    let both = try g.concatenate([encoded, decoded])
    let sum = try g.add([encoded, decoded])
    let head = try g(Dense<Float>(3, activation: .softmax), try g.concatenate([both, sum]))
    var rng = RandomGenerator(seed: 3)
    return try Model(
      graph: g, inputs: [source, target], outputs: [head, sum], name: "seq2seq", generator: &rng)
  }

  func inputs() -> [Tensor<Float>] {
    [
      Tensor(idRows: [[0, 0, 3, 4, 5], [1, 2, 3, 4, 11], [0, 0, 0, 0, 7]]),
      Tensor(idRows: [[6, 7, 0, 0], [8, 9, 10, 1], [2, 0, 0, 0]]),
    ]
  }

  func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString)")
  }

  /// save → load gives the same graph, names, weights and outputs, bit for bit — also after
  /// training (so the saved weights are not the initial ones).
  func testRoundTripIsExact() throws {
    var model = try encoderDecoder()
    model.compile(optimizer: .adam, loss: .meanSquaredError)
    var rng = RandomGenerator(seed: 1)
    let y = [
      Tensor<Float>(shape: [3, 3], scalars: [1, 0, 0, 0, 0, 1, 0, 1, 0]),
      Tensor<Float>(zeros: [3, 4]),
    ]
    try model.fit(x: inputs(), y: y, epochs: 2, batchSize: 2, verbose: 0, generator: &rng)
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try model.save(to: dir)
    let loaded = try Model<Float>.load(from: dir)
    XCTAssertEqual(loaded.name, "seq2seq")
    XCTAssertEqual(loaded.layerNames, model.layerNames)
    XCTAssertEqual(loaded.layers.map(\.kerasClassName), model.layers.map(\.kerasClassName))
    XCTAssertEqual(loaded.inputs, model.inputs)
    XCTAssertEqual(loaded.outputs, model.outputs)
    XCTAssertEqual(loaded.weights.map(\.scalars), model.weights.map(\.scalars))
    let before = try model.predict(inputs())
    let after = try loaded.predict(inputs())
    XCTAssertEqual(after.map(\.shape), [[3, 3], [3, 4]])
    XCTAssertEqual(after.map(\.scalars), before.map(\.scalars))
    XCTAssertEqual(loaded.summary(), model.summary())
  }

  /// A truncated config or weights file, another version or a Sequential directory are refused
  /// with typed errors naming the file.
  func testDamagedFilesAreRefusedByName() throws {
    let model = try encoderDecoder()
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try model.save(to: dir)
    let configURL = dir.appendingPathComponent("config.json")
    let weightsURL = dir.appendingPathComponent("model.safetensors")
    let config = try Data(contentsOf: configURL)
    let weights = try Data(contentsOf: weightsURL)

    try config.prefix(config.count / 2).write(to: configURL)
    assertRefused(dir, naming: "config.json", saying: "truncated")

    let text = String(decoding: config, as: UTF8.self)
    try Data(text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2").utf8)
      .write(to: configURL)
    assertRefused(dir, naming: "config.json", saying: "version 2")

    try config.write(to: configURL)
    try weights.prefix(weights.count - 10).write(to: weightsURL)
    assertRefused(dir, naming: "model.safetensors", saying: "truncated")

    try weights.write(to: weightsURL)
    XCTAssertNoThrow(try Model<Float>.load(from: dir))

    var seq = Sequential<Float>([Dense(2)], inputShape: [3])
    var rng = RandomGenerator(seed: 1)
    try seq.build(inputShape: [3], generator: &rng)
    try seq.save(to: dir)
    assertRefused(dir, naming: "config.json", saying: "Sequential.load")
  }

  private func assertRefused(
    _ dir: URL, naming file: String, saying words: String, line: UInt = #line
  ) {
    XCTAssertThrowsError(try Model<Float>.load(from: dir), line: line) { error in
      let text = "\(error)"
      XCTAssert(text.contains(file), "error does not name \(file): \(text)", line: line)
      XCTAssert(text.contains(words), "error does not say '\(words)': \(text)", line: line)
    }
  }
}
