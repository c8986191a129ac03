// Packed copies of W_hh for the Float per-step kernel (CRecurrentKernels/rnn_step_gemm.c), kept
// with the weights so that inference packs once per weight version rather than once per call:
// at H = 256 packing the 1 MiB matrix cost more than a batch-1 forward pass itself.
import CRecurrentKernels
import Foundation
import RecurrentTensor

/// Lazily made packed forms of one `weightHH` value. `RecurrentWeights` replaces its instance
/// whenever `weightHH` changes, so an instance only ever describes one set of values; copies of
/// the weights share it, which is safe because it is filled once under a lock and never changed.
final class PackedHiddenWeights: @unchecked Sendable {
  private let lock = NSLock()
  /// [0]: `W_hhᵀ` `[H, G·H]` packed (forward), [1]: `W_hh` `[G·H, H]` packed (backward).
  private var buffers: [UnsafeMutablePointer<Float>?] = [nil, nil]

  deinit {
    for buffer in buffers { buffer?.deallocate() }
  }

  /// The packed buffer `index`, made by `fill` (given `count` floats) on first use.
  func buffer(
    _ index: Int, count: Int, fill: (UnsafeMutablePointer<Float>) -> Void
  ) -> UnsafePointer<Float> {
    lock.lock()
    defer { lock.unlock() }
    if let buffer = buffers[index] { return UnsafePointer(buffer) }
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    fill(buffer)
    buffers[index] = buffer
    return UnsafePointer(buffer)
  }
}

extension RecurrentWeights {
  /// `W_hhᵀ` (`transposed`, the forward product's operand) or `W_hh` (the backward product's)
  /// in the step kernel's packed layout; `nil` unless the Float kernels run. Valid as long as
  /// these weights (or a copy of them) are alive and unchanged.
  func packedHiddenWeights(transposed: Bool) -> UnsafePointer<Scalar>? {
    guard Scalar.self == Float.self, RNNKernels.enabled, weightHH.rank == 2 else { return nil }
    let (gh, h) = (weightHH.shape[0], weightHH.shape[1])
    guard gh > 0, h > 0 else { return nil }
    // Forward: k = H, n = G·H, element (p, j) = W_hh[j, p]. Backward: k = G·H, n = H.
    let (k, n) = transposed ? (h, gh) : (gh, h)
    let count = Int(rnn_step_packed_size(Int32(k), Int32(n)))
    let packed = packedHidden.buffer(transposed ? 0 : 1, count: count) { out in
      weightHH.scalars.withUnsafeBufferPointer { w in
        let source = UnsafeRawPointer(w.baseAddress!).assumingMemoryBound(to: Float.self)
        rnn_step_pack_f32(Int32(k), Int32(n), source, Int32(h), transposed ? 1 : 0, out)
      }
    }
    return UnsafeRawPointer(packed).assumingMemoryBound(to: Scalar.self)
  }
}
