// Saving a functional Model: its graph (inputs, layers with their configs, shared-layer calls,
// merges) as config.json and its weights as model.safetensors, so `Model.load` rebuilds the same
// graph and gives the same outputs bit for bit.
import Foundation
import RecurrentTensor

/// The JSON written next to a functional model's weights.
struct FunctionalConfig: Codable {
  /// One graph node in creation order: the op that makes it and its per-sample shape.
  struct Node: Codable {
    var op: ModelGraph<Float>.Op
    var shape: [Int]
  }
  static let format = "recurrent.functional"
  static let version = 1

  var format = FunctionalConfig.format
  var version = FunctionalConfig.version
  var name: String
  var layers: [SequentialConfig.LayerEntry]
  var nodes: [Node]
  /// Node ids of the model's inputs and outputs.
  var inputs: [Int]
  var outputs: [Int]
}

/// Just the header, read first so another format or version is refused by name.
private struct ConfigHeader: Decodable {
  var format: String?
  var version: Int?
}

extension ModelGraph.Op {
  /// The same op with no scalar type attached (ops hold only indices).
  var untyped: ModelGraph<Float>.Op {
    switch self {
    case .input(let index): return .input(index: index)
    case let .layer(layer, input, call): return .layer(layer: layer, input: input, call: call)
    case let .concatenate(axis, inputs): return .concatenate(axis: axis, inputs: inputs)
    case .add(let inputs): return .add(inputs: inputs)
    }
  }
}

extension Model {
  /// Writes all weights to one safetensors file (keys `"<layer name>.<parameter name>"`, each
  /// shared layer once), atomically.
  public func saveWeights(to file: URL) throws {
    var tensors: [String: Tensor<Scalar>] = [:]
    for (key, value) in zip(weightKeys, weights) { tensors[key] = value }
    try Safetensors.write(
      tensors, to: file,
      metadata: ["format": "recurrent.model", "version": "\(FunctionalConfig.version)"])
  }

  /// Reads weights written by ``saveWeights(to:)``; every key and shape must match.
  public mutating func loadWeights(from file: URL) throws {
    let tensors = try Safetensors.read(contentsOf: file, as: Scalar.self)
    weights = try zip(weightKeys, weights).map { key, current in
      guard let t = tensors[key], t.shape == current.shape else {
        throw ModelError.incompatibleFile(
          file: file.path,
          message: "tensor '\(key)' is missing or not \(current.shape) (file keys: "
            + "\(tensors.keys.sorted()))")
      }
      return t
    }
  }

  /// Saves the graph (`config.json`: inputs, layers and their configs, every call of a shared
  /// layer, merges, outputs) and the weights (`model.safetensors`) to a directory; ``load(from:registry:)``
  /// rebuilds the model exactly. Carried states of stateful layers are not saved.
  ///
  /// ```swift
  /// try model.save(to: URL(fileURLWithPath: "seq2seq"))
  /// let again = try Model<Float>.load(from: URL(fileURLWithPath: "seq2seq"))
  /// ```
  public func save(to directory: URL) throws {
    let config = FunctionalConfig(
      name: name,
      layers: zip(graph.layers, graph.layerNames).map {
        .init(className: $0.kerasClassName, name: $1, config: $0.config)
      },
      nodes: zip(graph.ops, graph.shapes).map { .init(op: $0.untyped, shape: $1) },
      inputs: inputs.map(\.id), outputs: outputs.map(\.id))
    try writeModelDirectory(directory, config: config, saveWeights: saveWeights(to:))
  }

  /// Loads a model saved by ``save(to:)``: the layers from `registry`, the graph replayed call
  /// by call (shapes checked against the saved ones), then the exact weights.
  ///
  /// - Throws: ``ModelError/incompatibleFile(file:message:)`` naming `config.json` when it is
  ///   truncated, not a functional model, another version or inconsistent;
  ///   `SafetensorsError` (file and byte offset) or ``ModelError/incompatibleFile(file:message:)``
  ///   naming `model.safetensors` when the weights are truncated or do not fit.
  public static func load(
    from directory: URL, registry: LayerRegistry<Scalar> = .builtIn
  ) throws -> Model {
    let configURL = directory.appendingPathComponent("config.json")
    let config = try readConfig(configURL)
    func bad(_ message: String) -> ModelError {
      .incompatibleFile(file: configURL.path, message: message)
    }
    var graph = ModelGraph<Scalar>()
    for entry in config.layers {
      _ = graph.add(try registry.make(entry.className, config: entry.config))
      graph.layerNames[graph.layerNames.count - 1] = entry.name
    }
    for (id, node) in config.nodes.enumerated() {
      func existing(_ k: Int) throws -> ModelNode {
        guard k >= 0, k < id else { throw bad("node \(id) reads node \(k), which comes later") }
        return ModelNode(id: k, shape: graph.shapes[k])
      }
      let made: ModelNode
      switch node.op {
      case .input(let index):
        guard index == graph.inputCount else {
          throw bad("node \(id) is input \(index); expected input \(graph.inputCount)")
        }
        made = graph.input(shape: node.shape)
      case let .layer(layer, input, _):
        guard layer >= 0, layer < graph.layers.count else {
          throw bad("node \(id) calls layer \(layer); the file has \(graph.layers.count) layers")
        }
        let x = try existing(input)
        // Shared layers are built on their first call; later calls reuse those weights.
        var zeros = FallbackGenerator(seed: 0)
        try graph.layers[layer].build(inputShape: x.shape, generator: &zeros)
        made = try graph(LayerHandle(index: layer), x)
      case let .concatenate(axis, inputs):
        made = try graph.concatenate(inputs.map(existing), axis: axis)
      case .add(let inputs):
        made = try graph.add(inputs.map(existing))
      }
      guard made.shape == node.shape else {
        throw bad("node \(id) has shape \(made.shape) when rebuilt; the file says \(node.shape)")
      }
    }
    let nodeCount = config.nodes.count
    for id in config.inputs + config.outputs where !(0..<nodeCount).contains(id) {
      throw bad("input/output node \(id) is not one of the \(nodeCount) nodes")
    }
    let node = { (id: Int) in ModelNode(id: id, shape: graph.shapes[id]) }
    // Placeholder weights (every parameter is overwritten by loadWeights).
    var zeros = FallbackGenerator(seed: 0)
    var model = try Model(
      graph: graph, inputs: config.inputs.map(node), outputs: config.outputs.map(node),
      name: config.name, generator: &zeros)
    try model.loadWeights(from: directory.appendingPathComponent("model.safetensors"))
    return model
  }

  /// Decodes `config.json`, refusing other formats and versions by name.
  private static func readConfig(_ url: URL) throws -> FunctionalConfig {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ModelError.incompatibleFile(
        file: url.path, message: "cannot read the saved model config (\(error))")
    }
    let header: ConfigHeader
    do {
      header = try JSONDecoder().decode(ConfigHeader.self, from: data)
    } catch {
      throw ModelError.incompatibleFile(
        file: url.path,
        message: "not valid JSON (\(data.count) bytes; truncated or not a saved model?)")
    }
    guard header.format == FunctionalConfig.format else {
      throw ModelError.incompatibleFile(
        file: url.path,
        message: "format is \(header.format.map { "'\($0)'" } ?? "missing"), expected "
          + "'\(FunctionalConfig.format)' (a Sequential directory loads with Sequential.load)")
    }
    guard header.version == FunctionalConfig.version else {
      throw ModelError.incompatibleFile(
        file: url.path,
        message: "version \(header.version.map(String.init) ?? "missing"); this build reads "
          + "version \(FunctionalConfig.version) (save it again with a matching build)")
    }
    do {
      return try JSONDecoder().decode(FunctionalConfig.self, from: data)
    } catch {
      throw ModelError.incompatibleFile(
        file: url.path, message: "not a saved functional model config (\(error))")
    }
  }
}
