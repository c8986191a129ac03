// A whole recurrent layer over a sequence as ONE coarse op on the autodiff tape: the forward
// records what backpropagation through time needs, and the op's backward closure is the
// hand-written BPTT, returning the gradients of the input, the initial states and every
// parameter at once.
import RecurrentTensor

extension SequenceLayer where Self: Layer {
  /// Runs the layer on tape variables: one record on `x`'s tape (none when nothing is tracked).
  ///
  /// - Parameters:
  ///   - x: `[B, T, D]`.
  ///   - initialState: the layer's initial states as variables (zeros when `nil`).
  ///   - parameters: variables holding ``Layer/parameters`` in order (PyTorch names in
  ///     ``Layer/parameterNames``); their values replace the layer's own and they receive
  ///     gradients. When `nil` the layer's weights are constants.
  ///   - mask, training, generator: as ``RecurrentLayer/forward(_:initialState:mask:training:generator:)``.
  /// - Returns: the outputs (one, or two for ``Bidirectional`` with `.none`) and the final
  ///   states, all tracked.
  ///
  /// ```swift
  /// let tape = Tape<Float>()
  /// let params = zip(lstm.parameters, lstm.parameterNames).map { tape.variable($0, name: $1) }
  /// let (outputs, _) = try lstm(tape.variable(x), parameters: params, generator: &rng)
  /// let grads = tape.gradients(of: loss(outputs[0]))     // grads.named["weight_hh_l0"], …
  /// ```
  public func callAsFunction(
    _ x: Variable<Scalar>, initialState: [Variable<Scalar>]? = nil,
    parameters: [Variable<Scalar>]? = nil, mask: SequenceMask? = nil, training: Bool = false,
    generator: inout some RandomNumberGenerator
  ) throws -> (outputs: [Variable<Scalar>], states: [Variable<Scalar>]) {
    var layer = self
    if let parameters {
      guard parameters.count == self.parameters.count else {
        throw RecurrentError.option(
          "\(kerasClassName) has \(self.parameters.count) parameters (\(parameterNames)), "
            + "received \(parameters.count) variables")
      }
      layer.parameters = parameters.map(\.value)
    }
    let (result, record) = try layer.forward(
      x.value, initialState: initialState?.map(\.value), mask: mask, training: training,
      generator: &generator)
    let inputs = [x] + (initialState ?? []) + (parameters ?? [])
    let outputCount = result.outputs.count
    guard let tape = Tape.common(inputs) else {
      return (result.outputs.map { Variable($0) }, result.states.map { Variable($0) })
    }
    let hasStates = initialState != nil
    let hasParameters = parameters != nil
    let tracked = tape.record(
      kerasClassName, inputs: inputs, outputs: result.outputs + result.states
    ) { dy in
      // Shapes come from the tape (same as the outputs), so a throw here is a programmer error.
      let g = try! layer.backward(
        record, gradOutputs: Array(dy[0..<outputCount]), gradStates: Array(dy[outputCount...]))
      var grads: [Tensor<Scalar>?] = [g.input]
      if hasStates { grads += g.initialStates }
      if hasParameters {
        var shaped = layer
        shaped.weights = g.weights
        grads += shaped.parameters
      }
      return grads
    }
    return (Array(tracked[0..<outputCount]), Array(tracked[outputCount...]))
  }
}
