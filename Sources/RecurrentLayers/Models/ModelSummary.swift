extension Model {
  /// The summary exactly as Keras 2 (`tf_keras`) prints a functional model: input layers,
  /// layers and merges in Keras's order (by depth from the outputs, ties in depth-first order),
  /// output shapes (`multiple` for a shared layer called on different shapes), parameter counts
  /// and the `Connected to` column (`layer[call][0]`).
  public func summary() -> String {
    let lineLength = 98
    let positions = [29, 58, 68, 98]  // int(98 · [0.3, 0.6, 0.7, 1.0])
    let entries = summaryEntries()
    var lines = ["Model: \"\(name)\"", String(repeating: "_", count: lineLength)]
    lines += Sequential<Scalar>.summaryRow(
      ["Layer (type)", "Output Shape", "Param #", "Connected to"], positions)
    lines.append(String(repeating: "=", count: lineLength))
    for entry in entries {
      lines += Sequential<Scalar>.summaryRow(
        ["\(entry.name) (\(entry.className))", entry.shape, entry.params, entry.connected],
        positions)
      lines.append(String(repeating: " ", count: lineLength))
    }
    lines.append(String(repeating: "=", count: lineLength))
    let trainable = graph.layers.filter { $0.isTrainable }.reduce(0) { $0 + $1.parameterCount }
    let frozen = graph.layers.filter { !$0.isTrainable }.reduce(0) { $0 + $1.parameterCount }
    let bytes = MemoryLayout<Float>.size
    typealias S = Sequential<Scalar>
    lines.append("Total params: \(trainable + frozen) (\(S.memory((trainable + frozen) * bytes)))")
    lines.append("Trainable params: \(trainable) (\(S.memory(trainable * bytes)))")
    lines.append("Non-trainable params: \(frozen) (\(S.memory(frozen * bytes)))")
    lines.append(String(repeating: "_", count: lineLength))
    return lines.joined(separator: "\n") + "\n"
  }

  /// A summary row's "layer": an input, a graph layer (all its calls) or a merge op.
  private enum SummaryLayer: Hashable {
    case input(Int), layer(Int), merge(Int)
  }

  private struct SummaryEntry {
    var name, className, shape, params, connected: String
  }

  private func summaryEntries() -> [SummaryEntry] {
    let ops = graph.ops
    func owner(_ id: Int) -> SummaryLayer {
      switch ops[id] {
      case .input(let i): return .input(i)
      case .layer(let l, _, _): return .layer(l)
      case .concatenate, .add: return .merge(id)
      }
    }
    func inbound(_ id: Int) -> [Int] {
      switch ops[id] {
      case .input: return []
      case .layer(_, let input, _): return [input]
      case .concatenate(_, let inputs), .add(let inputs): return inputs
      }
    }
    // Keras's _build_map: depth-first from the outputs; layer indices in pre-order, nodes
    // appended in post-order.
    var layerIndex: [SummaryLayer: Int] = [:]
    var finished = Set<Int>()
    var postOrder = [Int]()
    func visit(_ id: Int) {
      if finished.contains(id) { return }
      let l = owner(id)
      if layerIndex[l] == nil { layerIndex[l] = layerIndex.count }
      for i in inbound(id) { visit(i) }
      finished.insert(id)
      postOrder.append(id)
    }
    for out in outputs { visit(out.id) }
    var nodeDepth: [Int: Int] = [:]
    var layerDepth: [SummaryLayer: Int] = [:]
    for id in postOrder.reversed() {
      var depth = nodeDepth[id, default: 0]
      depth = max(depth, layerDepth[owner(id), default: 0])
      layerDepth[owner(id)] = depth
      nodeDepth[id] = depth
      for i in inbound(id) { nodeDepth[i] = max(depth + 1, nodeDepth[i, default: 0]) }
    }
    let ordered = layerDepth.keys.sorted {
      layerDepth[$0]! != layerDepth[$1]!
        ? layerDepth[$0]! > layerDepth[$1]! : layerIndex[$0]! < layerIndex[$1]!
    }
    // Names: inputs input_1…, merges by class with Keras counters, layers as already named.
    var mergeNames: [Int: String] = [:]
    var used = graph.layerNames
    for (id, op) in ops.enumerated() {
      let base: String
      switch op {
      case .concatenate: base = "concatenate"
      case .add: base = "add"
      default: continue
      }
      var name = base
      var k = 0
      while used.contains(name) {
        k += 1
        name = "\(base)_\(k)"
      }
      used.append(name)
      mergeNames[id] = name
    }
    func nodeName(_ id: Int) -> String {
      switch ops[id] {
      case .input(let i): return "input_\(i + 1)[0][0]"
      case .layer(let l, _, let call): return "\(graph.layerNames[l])[\(call)][0]"
      case .concatenate, .add: return "\(mergeNames[id]!)[0][0]"
      }
    }
    func shapeText(_ shape: [Int]) -> String {
      "(" + (["None"] + shape.map(String.init)).joined(separator: ", ") + ")"
    }
    func list(_ items: [String]) -> String {
      "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }
    return ordered.map { l in
      switch l {
      case .input(let i):
        let id = ops.firstIndex { $0 == .input(index: i) }!
        return SummaryEntry(
          name: "input_\(i + 1)", className: "InputLayer",
          shape: "[\(shapeText(graph.shapes[id]))]",
          params: "0", connected: "[]")
      case .layer(let index):
        let calls = ops.indices.filter {
          if case .layer(index, _, _) = ops[$0] { return true } else { return false }
        }
        let shapes = Set(calls.map { graph.shapes[$0] })
        let layer = graph.layers[index]
        return SummaryEntry(
          name: graph.layerNames[index], className: layer.kerasClassName,
          shape: shapes.count == 1 ? shapeText(graph.shapes[calls[0]]) : "multiple",
          params: String(layer.parameterCount),
          connected: list(calls.flatMap { inbound($0).map(nodeName) }))
      case .merge(let id):
        let className: String
        if case .add = ops[id] { className = "Add" } else { className = "Concatenate" }
        return SummaryEntry(
          name: mergeNames[id]!, className: className, shape: shapeText(graph.shapes[id]),
          params: "0",
          connected: list(inbound(id).map(nodeName)))
      }
    }
  }
}
