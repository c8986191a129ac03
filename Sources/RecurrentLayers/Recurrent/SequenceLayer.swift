// What Bidirectional and RecurrentStack need from the layers they hold: one forward call over a
// whole sequence that records, and one backward call that returns every gradient.
import RecurrentTensor

/// A layer that reads a whole sequence `[B, T, D]` in one call and has a hand-written backward
/// pass: ``RecurrentLayer``, ``Bidirectional`` and ``RecurrentStack``.
///
/// `forward` returns the outputs, the final states and a record; `backward` takes the record and
/// the gradients of the outputs and final states and returns the gradients of the input, the
/// initial states and the weights.
///
/// ```swift
/// func lastOutput<L: SequenceLayer>(_ layer: L, _ x: Tensor<L.Scalar>) throws -> Tensor<L.Scalar> {
///   var none = NoRandomness()
///   return try layer.forward(x, initialState: nil, mask: nil, training: false, generator: &none)
///     .0.output
/// }
/// ```
public protocol SequenceLayer: Sendable {
  /// `Float` or `Double`.
  associatedtype Scalar: TensorScalar
  /// What `forward` keeps for `backward`.
  associatedtype Record: Sendable
  /// The parameters (and the structure of their gradients).
  associatedtype Weights: Sendable
  /// `D`: features per input step.
  var inputSize: Int { get }
  /// Features per output step (`H`, or `2H` for a concatenating ``Bidirectional``).
  var outputSize: Int { get }
  /// Number of state tensors, all `[B, H]`.
  var stateCount: Int { get }
  /// Output every step `[B, T, ·]` or only the last `[B, ·]`.
  var returnSequences: Bool { get set }
  /// The parameters.
  var weights: Weights { get set }

  /// Runs the layer over `x` `[B, T, D]`; see ``RecurrentLayer/forward(_:initialState:mask:training:generator:)``.
  func forward(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]?, mask: SequenceMask?, training: Bool,
    generator: inout some RandomNumberGenerator
  ) throws -> (RecurrentResult<Scalar>, Record)

  /// Backpropagation through the recorded call. `gradOutputs` matches the result's `outputs`,
  /// `gradStates` its `states`; `nil` (or missing) entries are zero.
  func backward(
    _ record: Record, gradOutputs: [Tensor<Scalar>?], gradStates: [Tensor<Scalar>?]
  ) throws -> SequenceGradients<Scalar, Weights>
}

extension RecurrentLayer: SequenceLayer {
  public typealias Record = RecurrentRecord<Cell>
  public var outputSize: Int { cell.hiddenSize }
  public var stateCount: Int { Cell.stateCount }

  public func backward(
    _ record: RecurrentRecord<Cell>, gradOutputs: [Tensor<Scalar>?], gradStates: [Tensor<Scalar>?]
  ) throws -> SequenceGradients<Scalar, RecurrentWeights<Scalar>> {
    guard gradOutputs.count <= 1 else {
      throw RecurrentError.option(
        "a RecurrentLayer has one output; received \(gradOutputs.count) output gradients")
    }
    return try backward(record, gradOutput: gradOutputs.first ?? nil, gradStates: gradStates)
  }
}
