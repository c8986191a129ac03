// Loading PyTorch nn.RNN / nn.LSTM / nn.GRU state dicts (e.g. read with Safetensors.read) into the
// recurrent layers. The weights need no conversion: the layers use PyTorch's layout and names
// (weight_ih_l{k}[_reverse], weight_hh_…, bias_ih_…, bias_hh_…).
import RecurrentTensor

/// A generator that always returns 0: builds a layer whose weights are overwritten at once.
private struct Unused: RandomNumberGenerator {
  mutating func next() -> UInt64 { 0 }
}

extension Layer {
  /// Sets every parameter from `state[prefix + name]`, building the layer from the shape of
  /// `state[prefix + "weight_ih_l0"]` when it is not built yet. Throws for a missing key, a shape
  /// that does not fit, or (`strict`) a key under `prefix` that the layer does not have.
  mutating func loadPyTorch(
    _ state: [String: Tensor<Scalar>], prefix: String, strict: Bool
  ) throws {
    let names = parameterNames
    if !isBuilt {
      guard let w = state[prefix + "weight_ih_l0"], w.rank == 2 else {
        throw RecurrentError.stateDict(
          "state dict has no 2-D '\(prefix)weight_ih_l0' to size the layer from; keys: "
            + state.keys.sorted().joined(separator: ", "))
      }
      var unused = Unused()
      try build(inputShape: [1, w.shape[1]], generator: &unused)
    }
    var values = parameters
    for (k, name) in names.enumerated() {
      guard let t = state[prefix + name] else {
        throw RecurrentError.stateDict(
          "state dict has no '\(prefix)\(name)' (this \(kerasClassName) has "
            + "\(names.map { prefix + $0 }.joined(separator: ", "))); keys present: "
            + state.keys.sorted().joined(separator: ", "))
      }
      guard t.shape == values[k].shape else {
        throw RecurrentError.stateDict(
          "'\(prefix)\(name)' has shape \(t.shape) but this \(kerasClassName) expects "
            + "\(values[k].shape) (check the cell type, hidden size, input size and layer count "
            + "the weights were saved with)")
      }
      values[k] = t
    }
    if strict {
      let known = Set(names.map { prefix + $0 })
      let extra = state.keys.filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted()
      guard extra.isEmpty else {
        throw RecurrentError.stateDict(
          "state dict has keys this \(kerasClassName) does not use: \(extra.joined(separator: ", "))"
            + " (more layers or directions than the layer has?); pass strict: false to ignore them")
      }
    }
    parameters = values
  }
}

extension RecurrentLayer {
  /// Loads a PyTorch `nn.RNN` / `nn.LSTM` / `nn.GRU` (one layer, one direction) state dict:
  /// `prefix + "weight_ih_l0"`, … . Builds the layer from the weights if needed.
  ///
  /// ```swift
  /// let state = try Safetensors.read(contentsOf: url)      // torch: save_file(m.state_dict())
  /// var lstm = LSTM<Float>(units: 64)
  /// try lstm.loadPyTorchStateDict(state, prefix: "rnn.")
  /// ```
  public mutating func loadPyTorchStateDict(
    _ state: [String: Tensor<Scalar>], prefix: String = "", strict: Bool = true
  ) throws {
    try loadPyTorch(state, prefix: prefix, strict: strict)
  }
}

extension Bidirectional {
  /// Loads a PyTorch `bidirectional=True` single-layer state dict (`*_l0` and `*_l0_reverse`).
  public mutating func loadPyTorchStateDict(
    _ state: [String: Tensor<Scalar>], prefix: String = "", strict: Bool = true
  ) throws {
    try loadPyTorch(state, prefix: prefix, strict: strict)
  }
}

extension RecurrentStack where Member: Layer {
  /// Loads a PyTorch `num_layers = L` state dict (`*_l0` … `*_l{L-1}`, and `*_reverse` for
  /// bidirectional stacks). Unbuilt layers are built from the weights.
  public mutating func loadPyTorchStateDict(
    _ state: [String: Tensor<Scalar>], prefix: String = "", strict: Bool = true
  ) throws {
    // Build layer by layer from each layer's own weight_ih, then load everything at once.
    for k in layers.indices where !layers[k].isBuilt {
      guard let w = state[prefix + "weight_ih_l\(k)"], w.rank == 2 else {
        throw RecurrentError.stateDict(
          "state dict has no 2-D '\(prefix)weight_ih_l\(k)' to size layer \(k) from")
      }
      var unused = Unused()
      try layers[k].build(inputShape: [1, w.shape[1]], generator: &unused)
    }
    try loadPyTorch(state, prefix: prefix, strict: strict)
  }
}
