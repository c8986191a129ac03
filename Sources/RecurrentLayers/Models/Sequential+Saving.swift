import Foundation
import RecurrentTensor

/// Builds layers from saved configs: the core layers by default; add entries for your own
/// layer types (keyed by ``Layer/kerasClassName``).
///
/// ```swift
/// var registry = LayerRegistry<Float>.builtIn
/// registry.register("MyLayer") { config, _ in MyLayer(config: config) }
/// ```
public struct LayerRegistry<Scalar: TensorScalar>: Sendable {
  public typealias Factory =
    @Sendable ([String: ConfigValue], LayerRegistry<Scalar>) throws ->
    any Layer<Scalar>
  private var factories: [String: Factory] = [:]

  public init() {}

  public mutating func register(_ className: String, factory: @escaping Factory) {
    factories[className] = factory
  }

  /// Dense, Embedding, Dropout, TimeDistributed (of any registered layer), SimpleRNN, LSTM,
  /// GRU and Bidirectional.
  public static var builtIn: LayerRegistry {
    var r = LayerRegistry()
    r.registerRecurrentLayers()
    r.register("Dense") { c, _ in
      guard let units = c["units"]?.intValue, units > 0,
        let act = c["activation"]?.stringValue.flatMap(Activation.init(rawValue:))
      else { throw LayerRegistryError.badConfig("Dense", c) }
      return Dense<Scalar>(units: units, activation: act, useBias: c["use_bias"]?.boolValue ?? true)
    }
    r.register("Embedding") { c, _ in
      guard let v = c["input_dim"]?.intValue, v > 0, let d = c["output_dim"]?.intValue, d > 0 else {
        throw LayerRegistryError.badConfig("Embedding", c)
      }
      return Embedding<Scalar>(
        inputDim: v, outputDim: d, maskZero: c["mask_zero"]?.boolValue ?? false,
        trainable: c["trainable"]?.boolValue ?? true)
    }
    r.register("Dropout") { c, _ in
      guard let rate = c["rate"]?.doubleValue, rate >= 0, rate < 1 else {
        throw LayerRegistryError.badConfig("Dropout", c)
      }
      return Dropout<Scalar>(rate: rate)
    }
    r.register("TimeDistributed") { c, registry in
      guard case .object(let inner)? = c["layer"], let cls = inner["class_name"]?.stringValue,
        case .object(let innerConfig)? = inner["config"]
      else { throw LayerRegistryError.badConfig("TimeDistributed", c) }
      return wrapTimeDistributed(try registry.make(cls, config: innerConfig))
    }
    return r
  }

  /// A layer of class `className` from its config.
  public func make(_ className: String, config: [String: ConfigValue]) throws -> any Layer<Scalar> {
    guard let factory = factories[className] else {
      throw LayerRegistryError.unknownClass(className, known: factories.keys.sorted())
    }
    return try factory(config, self)
  }
}

extension LayerRegistry {
  mutating func registerRecurrentLayers() {
    register("LSTM") { c, _ in statefulIfAsked(try recurrentLSTM(c) as LSTM<Scalar>, c) }
    register("GRU") { c, _ in statefulIfAsked(try recurrentGRU(c) as GRU<Scalar>, c) }
    register("SimpleRNN") { c, _ in
      statefulIfAsked(try recurrentSimpleRNN(c) as SimpleRNN<Scalar>, c)
    }
    register("Bidirectional") { c, _ in
      guard let merge = c["merge_mode"]?.stringValue.flatMap(BidirectionalMergeName.init),
        case .object(let inner)? = c["layer"]
      else { throw LayerRegistryError.badConfig("Bidirectional", c) }
      // Keras writes `stateful` inside the wrapped layer's config; Stateful(Bidirectional)
      // writes it at the top.
      var stateful = c
      if inner["stateful"]?.boolValue == true { stateful["stateful"] = .bool(true) }
      // The wrapped layer's config names no class; its keys tell the cell apart.
      if inner["unit_forget_bias"] != nil {
        let layer: LSTM<Scalar> = try recurrentLSTM(inner)
        return statefulIfAsked(
          Bidirectional(layer, merge: .init(rawValue: merge.rawValue)!), stateful)
      }
      if inner["reset_after"] != nil {
        let layer: GRU<Scalar> = try recurrentGRU(inner)
        return statefulIfAsked(
          Bidirectional(layer, merge: .init(rawValue: merge.rawValue)!), stateful)
      }
      let layer: SimpleRNN<Scalar> = try recurrentSimpleRNN(inner)
      return statefulIfAsked(
        Bidirectional(layer, merge: .init(rawValue: merge.rawValue)!), stateful)
    }
  }
}

/// `layer` wrapped in ``Stateful`` when its saved config says `"stateful": true`.
private func statefulIfAsked<L: SequenceLayer & Layer>(_ layer: L, _ c: [String: ConfigValue])
  -> any Layer<L.Scalar>
{
  c["stateful"]?.boolValue == true ? Stateful(layer) : layer
}

/// The merge modes a saved Bidirectional may name (`Bidirectional.Merge` raw values).
private struct BidirectionalMergeName {
  let rawValue: String
  init?(_ raw: String) {
    guard ["concat", "sum", "average", "multiply"].contains(raw) else { return nil }
    rawValue = raw
  }
}

/// Units and the options every recurrent layer shares.
private func recurrentCommon(_ c: [String: ConfigValue], _ name: String) throws -> (
  units: Int, returnSequences: Bool, goBackwards: Bool, dropout: Double, recurrentDropout: Double
) {
  guard let units = c["units"]?.intValue, units > 0 else {
    throw LayerRegistryError.badConfig(name, c)
  }
  return (
    units, c["return_sequences"]?.boolValue ?? false, c["go_backwards"]?.boolValue ?? false,
    c["dropout"]?.doubleValue ?? 0, c["recurrent_dropout"]?.doubleValue ?? 0
  )
}

private func recurrentLSTM<S: TensorScalar>(_ c: [String: ConfigValue]) throws -> LSTM<S> {
  let o = try recurrentCommon(c, "LSTM")
  return LSTM<S>(
    units: o.units, unitForgetBias: c["unit_forget_bias"]?.boolValue ?? true,
    returnSequences: o.returnSequences, goBackwards: o.goBackwards, dropout: o.dropout,
    recurrentDropout: o.recurrentDropout)
}

private func recurrentGRU<S: TensorScalar>(_ c: [String: ConfigValue]) throws -> GRU<S> {
  let o = try recurrentCommon(c, "GRU")
  return GRU<S>(
    units: o.units, resetAfter: c["reset_after"]?.boolValue ?? true,
    returnSequences: o.returnSequences, goBackwards: o.goBackwards, dropout: o.dropout,
    recurrentDropout: o.recurrentDropout)
}

private func recurrentSimpleRNN<S: TensorScalar>(_ c: [String: ConfigValue]) throws
  -> SimpleRNN<S>
{
  let o = try recurrentCommon(c, "SimpleRNN")
  guard
    let activation = SimpleRNNCell<S>.Activation(
      rawValue: c["activation"]?.stringValue ?? "tanh")
  else { throw LayerRegistryError.badConfig("SimpleRNN", c) }
  return SimpleRNN<S>(
    units: o.units, activation: activation, returnSequences: o.returnSequences,
    goBackwards: o.goBackwards, dropout: o.dropout, recurrentDropout: o.recurrentDropout)
}

private func wrapTimeDistributed<L: Layer>(_ layer: L) -> any Layer<L.Scalar> {
  TimeDistributed(layer)
}

/// A saved config names a layer class the registry does not know, or holds bad values.
public enum LayerRegistryError: Error, CustomStringConvertible, Equatable {
  case unknownClass(String, known: [String])
  case badConfig(String, [String: ConfigValue])

  public var description: String {
    switch self {
    case let .unknownClass(name, known):
      return
        "no layer class '\(name)' is registered (known: \(known.joined(separator: ", "))); "
        + "register it in the LayerRegistry passed to load"
    case let .badConfig(name, config):
      return "\(name): the saved config \(config) is missing or has invalid values"
    }
  }
}

/// The JSON written next to the weights.
struct SequentialConfig: Codable {
  struct LayerEntry: Codable {
    var className: String
    var name: String
    var config: [String: ConfigValue]
    enum CodingKeys: String, CodingKey {
      case className = "class_name"
      case name, config
    }
  }
  var format = "recurrent.sequential"
  var version = 1
  var name: String
  var inputShape: [Int]
  var layers: [LayerEntry]
  enum CodingKeys: String, CodingKey {
    case format, version, name
    case inputShape = "input_shape"
    case layers
  }
}

extension Sequential {
  /// Checkpoint keys: `"<layer name>.<parameter name>"` (`"dense.kernel"`), stable across runs.
  public var weightKeys: [String] {
    zip(layerNames, layers).flatMap { name, layer in layer.parameterNames.map { "\(name).\($0)" } }
  }

  /// Writes all weights to one safetensors file (F32 for Float, F64 for Double), atomically.
  public func saveWeights(to file: URL) throws {
    var tensors: [String: Tensor<Scalar>] = [:]
    for (key, value) in zip(weightKeys, weights) { tensors[key] = value }
    try Safetensors.write(tensors, to: file, metadata: ["format": "recurrent.sequential"])
  }

  /// Reads weights written by ``saveWeights(to:)`` into this (built) model; every key and shape
  /// must match.
  public mutating func loadWeights(from file: URL) throws {
    guard isBuilt else {
      throw ModelError.notBuilt("build the model (or call fit/predict) before loadWeights")
    }
    let tensors = try Safetensors.read(contentsOf: file, as: Scalar.self)
    var new = [Tensor<Scalar>]()
    for (key, current) in zip(weightKeys, weights) {
      guard let t = tensors[key] else {
        throw ModelError.incompatibleFile(
          file: file.path, message: "no tensor '\(key)' (the file has \(tensors.keys.sorted()))")
      }
      guard t.shape == current.shape else {
        throw ModelError.incompatibleFile(
          file: file.path,
          message: "tensor '\(key)' has shape \(t.shape), the model expects \(current.shape)")
      }
      new.append(t)
    }
    weights = new
  }

  /// Saves the architecture (`config.json`) and weights (`model.safetensors`) to a directory.
  public func save(to directory: URL) throws {
    guard let inputShape, isBuilt else {
      throw ModelError.notBuilt("build the model (or call fit/predict) before save")
    }
    let config = SequentialConfig(
      name: name, inputShape: inputShape,
      layers: zip(layers, layerNames).map {
        .init(className: $0.kerasClassName, name: $1, config: $0.config)
      })
    try writeModelDirectory(directory, config: config, saveWeights: saveWeights(to:))
  }

  /// Loads a model saved by ``save(to:)``: layers from the registry, then the exact weights.
  public static func load(
    from directory: URL, registry: LayerRegistry<Scalar> = .builtIn
  ) throws -> Sequential {
    let configURL = directory.appendingPathComponent("config.json")
    let config: SequentialConfig
    do {
      config = try JSONDecoder().decode(SequentialConfig.self, from: Data(contentsOf: configURL))
    } catch {
      throw ModelError.incompatibleFile(
        file: configURL.path, message: "not a saved Sequential config (\(error))")
    }
    var model = Sequential(name: config.name)
    for entry in config.layers {
      model.add(try registry.make(entry.className, config: entry.config))
      model.layerNames[model.layerNames.count - 1] = entry.name
    }
    // Placeholder values; every parameter is overwritten by loadWeights.
    var zeros = FallbackGenerator(seed: 0)
    try model.build(inputShape: config.inputShape, generator: &zeros)
    try model.loadWeights(from: directory.appendingPathComponent("model.safetensors"))
    return model
  }
}

/// Writes a saved model's directory: `config.json` (pretty, sorted keys, atomic) and the weights
/// through `saveWeights` into `model.safetensors`. Shared by `Sequential` and the functional
/// `Model`, which differ only in their config.
func writeModelDirectory(
  _ directory: URL, config: some Encodable, saveWeights: (URL) throws -> Void
) throws {
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  try encoder.encode(config).write(
    to: directory.appendingPathComponent("config.json"), options: .atomic)
  try saveWeights(directory.appendingPathComponent("model.safetensors"))
}
