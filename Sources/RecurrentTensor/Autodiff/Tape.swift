/// A record of coarse operations for reverse-mode automatic differentiation.
///
/// Design: a `Tape` is an explicit, reference-type list of operation records, created per
/// training step and passed to whatever computes the loss. There is no global state. A
/// ``Variable`` pairs a tensor value with (optionally) the tape that tracks it; operations on
/// variables compute their forward value with plain ``Tensor`` ops and, only when one of their
/// inputs is tracked, append one record holding the backward closure written beside the forward.
/// Untracked variables (`Variable(tensor)`, no tape) cost one `nil` check per op: inference pays
/// nothing else. Records are appended in execution order, so walking them backwards is a valid
/// topological order; ``gradients(of:seed:)`` does that, summing gradients when a value feeds
/// several ops (shared layers), and returns the gradients of the tape's leaves — the tensors
/// registered with ``variable(_:name:)`` (parameters and, for gradient checks, inputs).
///
/// Ops are meant to be coarse: a whole recurrent layer over a sequence is one record with a
/// hand-written backpropagation through time, registered with
/// ``record(_:inputs:outputs:backward:)``:
///
/// ```swift
/// // y = x · w + b as one custom op (inputs x [N, D], w [D, H], b [H]; output [N, H]).
/// func affine(_ x: Variable<Float>, _ w: Variable<Float>, _ b: Variable<Float>) -> Variable<Float> {
///   let (xv, wv) = (x.value, w.value)           // capture tensors, not Variables
///   let y = matmul(xv, wv) + b.value
///   guard let tape = Tape.common(x, w, b) else { return Variable(y) }  // inference: no record
///   return tape.record("affine", inputs: [x, w, b], outputs: [y]) { dy in
///     // dy[i] is the gradient of the loss with respect to output i (zeros if unused).
///     [matmul(dy[0], wv, transposeB: true),     // dx
///      matmul(xv, dy[0], transposeA: true),     // dw
///      dy[0].sum(alongAxes: [0])]               // db (nil would mean "no gradient")
///   }[0]
/// }
///
/// let tape = Tape<Float>()
/// let w = tape.variable(weights, name: "dense.weight")   // a parameter: a leaf of the tape
/// let b = tape.variable(bias, name: "dense.bias")
/// let loss = affine(Variable(inputs), w, b).sum()        // inputs are constants here
/// let grads = tape.gradients(of: loss)
/// grads[w]                     // Tensor<Float> shaped like weights
/// grads.named["dense.bias"]    // the same gradients by name
/// ```
///
/// Backward closures must capture tensors (`x.value`), never `Variable`s: a variable holds its
/// tape, so capturing one would make a reference cycle until the tape is spent.
///
/// A tape is not thread-safe and is single-use: ``gradients(of:seed:)`` runs once, then frees the
/// records (and the activations their closures captured). Use a new tape per training step.
public final class Tape<Scalar: TensorScalar> {
  /// One recorded operation.
  @usableFromInline
  struct Record {
    let name: String
    let inputs: [Int?]
    let inputShapes: [[Int]]
    let outputs: [Int]
    let outputShapes: [[Int]]
    let backward: ([Tensor<Scalar>]) -> [Tensor<Scalar>?]
  }

  @usableFromInline var records: [Record] = []
  @usableFromInline var nodeCount = 0
  @usableFromInline var leafNames: [Int: String] = [:]
  @usableFromInline var leaves: Set<Int> = []
  @usableFromInline var isSpent = false

  /// An empty tape.
  public init() {}

  /// The number of operations recorded so far.
  public var operationCount: Int { records.count }

  /// Registers `value` as a leaf whose gradient ``gradients(of:seed:)`` returns — a parameter,
  /// or an input in a gradient check. `name` (say the PyTorch key `"lstm.weight_ih_l0"`) makes
  /// the gradient retrievable with ``Gradients/named``.
  public func variable(_ value: Tensor<Scalar>, name: String? = nil) -> Variable<Scalar> {
    let node = nodeCount
    nodeCount += 1
    leaves.insert(node)
    if let name {
      precondition(leafNames.values.contains(name) == false, "Tape: duplicate leaf name \(name)")
      leafNames[node] = name
    }
    return Variable(value: value, tape: self, node: node)
  }

  /// Records one coarse operation and returns its outputs as variables tracked by this tape.
  ///
  /// - Parameters:
  ///   - name: shown in shape-mismatch messages from the backward pass.
  ///   - inputs: the op's inputs; untracked ones (constants) receive no gradient.
  ///   - outputs: the forward results, already computed.
  ///   - backward: given the loss gradient for every output (same shapes as `outputs`; zeros for
  ///     outputs that did not reach the loss), returns one gradient per input, in order, shaped
  ///     like that input, or `nil` where there is none (a constant input, an index input). It
  ///     may capture whatever the forward computed (activations, gate values). It runs at most
  ///     once per ``gradients(of:seed:)`` call.
  /// - Precondition: every tracked input belongs to this tape.
  public func record(
    _ name: String, inputs: [Variable<Scalar>], outputs: [Tensor<Scalar>],
    backward: @escaping (_ outputGradients: [Tensor<Scalar>]) -> [Tensor<Scalar>?]
  ) -> [Variable<Scalar>] {
    precondition(!isSpent, "\(name): this Tape already ran gradients(of:); start a new Tape")
    var inputNodes: [Int?] = []
    inputNodes.reserveCapacity(inputs.count)
    for input in inputs {
      if let tape = input.tape {
        precondition(tape === self, "\(name): an input is tracked by a different Tape")
        inputNodes.append(input.node)
      } else {
        inputNodes.append(nil)
      }
    }
    // Nothing tracked flows in: the outputs are constants and nothing needs recording.
    if inputNodes.allSatisfy({ $0 == nil }) { return outputs.map { Variable($0) } }
    let first = nodeCount
    nodeCount += outputs.count
    records.append(
      Record(
        name: name, inputs: inputNodes, inputShapes: inputs.map(\.value.shape),
        outputs: Array(first..<nodeCount), outputShapes: outputs.map(\.shape), backward: backward))
    return outputs.enumerated().map { Variable(value: $1, tape: self, node: first + $0) }
  }

  /// Records a one-output op; `backward` receives the output's gradient. Same rules as
  /// ``record(_:inputs:outputs:backward:)``.
  ///
  /// ```swift
  /// let y = tape.record("double", inputs: [x], output: xv * 2) { dy in [dy * 2] }
  /// ```
  public func record(
    _ name: String, inputs: [Variable<Scalar>], output: Tensor<Scalar>,
    backward: @escaping (_ outputGradient: Tensor<Scalar>) -> [Tensor<Scalar>?]
  ) -> Variable<Scalar> {
    record(name, inputs: inputs, outputs: [output]) { g in backward(g[0]) }[0]
  }

  /// The tape shared by the tracked variables among `variables`, or `nil` when none is tracked
  /// (the inference path).
  /// - Precondition: tracked variables all belong to one tape.
  public static func common(_ variables: Variable<Scalar>...) -> Tape? {
    common(variables)
  }

  /// The tape shared by the tracked variables in the array, or `nil` when none is tracked.
  public static func common(_ variables: [Variable<Scalar>]) -> Tape? {
    var found: Tape?
    for v in variables {
      guard let tape = v.tape else { continue }
      if let found { precondition(found === tape, "Variables from two different Tapes were mixed") }
      found = tape
    }
    return found
  }

  /// Runs the backward pass from `loss` and returns the gradients of this tape's leaves.
  ///
  /// - Parameter seed: the gradient of the final objective with respect to `loss`; defaults to
  ///   ones, which for a one-element loss is d loss / d loss = 1.
  /// - Precondition: `loss` is tracked by this tape, and has one element unless `seed` is given.
  @_specialize(where Scalar == Float)
  public func gradients(of loss: Variable<Scalar>, seed: Tensor<Scalar>? = nil) -> Gradients<
    Scalar
  > {
    precondition(loss.tape === self, "gradients(of:): the loss is not tracked by this Tape")
    precondition(!isSpent, "gradients(of:) runs once per Tape; start a new Tape per step")
    precondition(
      seed != nil || loss.value.count == 1,
      "gradients(of:): loss has shape \(loss.value.shape); reduce it to one element or pass seed")
    if let seed {
      precondition(
        seed.shape == loss.value.shape,
        "gradients(of:): seed shape \(seed.shape) differs from loss shape \(loss.value.shape)")
    }
    var grads = [Tensor<Scalar>?](repeating: nil, count: nodeCount)
    grads[loss.node] = seed ?? Tensor(ones: loss.value.shape)
    for record in records.reversed() {
      var any = false
      var outputGrads: [Tensor<Scalar>] = []
      outputGrads.reserveCapacity(record.outputs.count)
      for (node, shape) in zip(record.outputs, record.outputShapes) {
        if let g = grads[node] {
          any = true
          outputGrads.append(g)
          grads[node] = nil  // consumed: free it early
        } else {
          outputGrads.append(Tensor(zeros: shape))
        }
      }
      if !any { continue }
      let inputGrads = record.backward(outputGrads)
      precondition(
        inputGrads.count == record.inputs.count,
        "\(record.name) backward returned \(inputGrads.count) gradients for "
          + "\(record.inputs.count) inputs")
      for (i, (node, grad)) in zip(record.inputs, inputGrads).enumerated() {
        guard let node, let grad else { continue }
        precondition(
          grad.shape == record.inputShapes[i],
          "\(record.name) backward: gradient for input \(i) has shape \(grad.shape), "
            + "input has shape \(record.inputShapes[i])")
        if let existing = grads[node] {
          grads[node] = existing + grad  // a value used twice: gradients add up
        } else {
          grads[node] = grad
        }
      }
    }
    // The tape is spent: drop the records so the tensors their closures captured are freed (and
    // any reference cycle through a carelessly captured Variable is broken).
    records.removeAll()
    isSpent = true
    var result: [Int: Tensor<Scalar>] = [:]
    for node in leaves { if let g = grads[node] { result[node] = g } }
    var named: [String: Tensor<Scalar>] = [:]
    for (node, name) in leafNames {
      named[name] = result[node] ?? nil
    }
    return Gradients(tape: ObjectIdentifier(self), byNode: result, named: named)
  }
}

/// The gradients of a tape's leaves after ``Tape/gradients(of:seed:)``.
///
/// ```swift
/// let grads = tape.gradients(of: loss)
/// let dw = grads[w] ?? Tensor(zeros: w.shape)   // nil: w did not influence the loss
/// ```
public struct Gradients<Scalar: TensorScalar>: Sendable {
  let tape: ObjectIdentifier
  let byNode: [Int: Tensor<Scalar>]
  /// Gradients of named leaves (see ``Tape/variable(_:name:)``); leaves that did not influence
  /// the loss are absent.
  public let named: [String: Tensor<Scalar>]

  /// The gradient for a leaf variable, or `nil` if it did not influence the loss.
  /// - Precondition: `variable` is a leaf of the tape these gradients came from.
  public subscript(_ variable: Variable<Scalar>) -> Tensor<Scalar>? {
    precondition(
      variable.tape.map(ObjectIdentifier.init) == tape,
      "Gradients: the variable belongs to another tape (or none)")
    return byNode[variable.node]
  }
}

/// A tensor value, optionally tracked by a ``Tape`` for reverse-mode differentiation.
///
/// `Variable(x)` is a constant (inference, or inputs that need no gradient); `tape.variable(x)`
/// is a tracked leaf; ops on variables return tracked results when any input is tracked.
///
/// ```swift
/// let tape = Tape<Double>()
/// let x = tape.variable(Tensor(shape: [2], scalars: [1, 2]))
/// let y = (x * x).sum()          // 5
/// tape.gradients(of: y)[x]!      // [2, 4]
/// ```
public struct Variable<Scalar: TensorScalar> {
  /// The forward value.
  public let value: Tensor<Scalar>
  /// The tape tracking this value, or `nil` for a constant.
  public let tape: Tape<Scalar>?
  @usableFromInline let node: Int

  @usableFromInline
  init(value: Tensor<Scalar>, tape: Tape<Scalar>, node: Int) {
    self.value = value
    self.tape = tape
    self.node = node
  }

  /// An untracked constant.
  @inlinable
  public init(_ value: Tensor<Scalar>) {
    self.value = value
    self.tape = nil
    self.node = -1
  }

  /// The same value as a constant: gradients stop here (PyTorch's `detach()`).
  @inlinable
  public func detached() -> Variable { Variable(value) }

  /// Whether a tape tracks this value (gradients will flow into it).
  @inlinable public var isTracked: Bool { tape != nil }
  /// The value's shape.
  @inlinable public var shape: [Int] { value.shape }
}
