// Dispatch from the generic cells to the fused C kernels (CRecurrentKernels/rnn_pointwise.c).
// Only Float has kernels; Double (gradient checks) runs the plain Swift loops in the cells, which
// are the reference the C kernels are tested against.
import RecurrentTensor

enum RNNKernels {
  typealias LSTMForward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafeMutablePointer<S>, _ cPrev: UnsafePointer<S>,
    _ hNext: UnsafeMutablePointer<S>, _ cNext: UnsafeMutablePointer<S>,
    _ tanhC: UnsafeMutablePointer<S>
  ) -> Void
  typealias LSTMBackward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafePointer<S>, _ tanhC: UnsafePointer<S>,
    _ cPrev: UnsafePointer<S>, _ dh: UnsafeMutablePointer<S>, _ dcNext: UnsafeMutablePointer<S>,
    _ dcPrev: UnsafeMutablePointer<S>, _ dGates: UnsafeMutablePointer<S>
  ) -> Void
  typealias GRUForward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafeMutablePointer<S>,
    _ hiddenProjection: UnsafeMutablePointer<S>, _ biasHN: UnsafePointer<S>,
    _ hPrev: UnsafePointer<S>, _ hNext: UnsafeMutablePointer<S>, _ ghn: UnsafeMutablePointer<S>
  ) -> Void
  typealias GRUBackward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafePointer<S>, _ ghn: UnsafePointer<S>,
    _ hPrev: UnsafePointer<S>, _ dh: UnsafeMutablePointer<S>, _ dhPrev: UnsafeMutablePointer<S>,
    _ dGatesInput: UnsafeMutablePointer<S>, _ dGatesHidden: UnsafeMutablePointer<S>
  ) -> Void

  static func lstmForward<S: TensorScalar>(_: S.Type) -> LSTMForward<S>? { nil }
  static func lstmBackward<S: TensorScalar>(_: S.Type) -> LSTMBackward<S>? { nil }
  static func gruForward<S: TensorScalar>(_: S.Type) -> GRUForward<S>? { nil }
  static func gruBackward<S: TensorScalar>(_: S.Type) -> GRUBackward<S>? { nil }
}
