import RecurrentTensor

extension Layer {
  /// Runs the layer as one coarse op on the autodiff tape: the forward computes the output,
  /// and the recorded backward is the layer's own (``LayerForward/backward``), returning the
  /// gradients for `input` and for each of `parameters` (the layer's ``parameters`` as
  /// variables, leaves of the tape when they should be trained).
  ///
  /// Nothing is recorded when no argument is tracked (inference).
  ///
  /// ```swift
  /// let tape = Tape<Float>()
  /// let params = dense.parameters.map { tape.variable($0) }
  /// let (y, _) = try dense.callAsOp(Variable(x), mask: nil, parameters: params,
  ///                                 training: true, generator: &rng)
  /// let grads = tape.gradients(of: y.sum())   // grads[params[0]]: the kernel's gradient
  /// ```
  public func callAsOp<G: RandomNumberGenerator>(
    _ input: Variable<Scalar>, mask: Tensor<Scalar>?, parameters: [Variable<Scalar>],
    training: Bool, generator: inout G
  ) throws -> (output: Variable<Scalar>, mask: Tensor<Scalar>?) {
    let (output, mask, _) = try callAsStatefulOp(
      input, mask: mask, parameters: parameters, training: training, generator: &generator)
    return (output, mask)
  }

  /// ``callAsOp(_:mask:parameters:training:generator:)`` also returning the states a stateful
  /// layer ended in (``LayerForward/states``), for the model to store.
  func callAsStatefulOp<G: RandomNumberGenerator>(
    _ input: Variable<Scalar>, mask: Tensor<Scalar>?, parameters: [Variable<Scalar>],
    training: Bool, generator: inout G
  ) throws -> (output: Variable<Scalar>, mask: Tensor<Scalar>?, states: [Tensor<Scalar>]?) {
    precondition(
      parameters.count == self.parameters.count,
      "\(kerasClassName) has \(self.parameters.count) parameters, \(parameters.count) given")
    let step = try forward(input.value, mask: mask, training: training, generator: &generator)
    let inputs = [input] + parameters
    guard let tape = Tape.common(inputs) else {
      return (Variable(step.output), step.mask, step.states)
    }
    let output = tape.record(kerasClassName, inputs: inputs, outputs: [step.output]) { dy in
      let g = step.backward(dy[0])
      return [g.input] + g.parameters.map { Optional($0) }
    }[0]
    return (output, step.mask, step.states)
  }
}
