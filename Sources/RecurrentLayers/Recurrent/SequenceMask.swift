// Which time steps of each row are real. Built from explicit lengths (right-padded batches) or
// from a [B, T] mask (e.g. what Embedding(maskZero:) produces), validated against the input.
import RecurrentTensor

/// Which time steps of each sequence in a batch are real, the rest being padding.
///
/// Recurrent layers skip masked steps the way Keras does: at a masked step the state is carried
/// through unchanged and the output is zero. A layer running backwards (``RecurrentLayer/goBackwards``
/// or the backward half of ``Bidirectional``) visits the real steps of each row in reverse, so a
/// right-padded row of length `L` is read `x[L-1], …, x[0]` — reversal happens within each
/// sequence's length, never across its padding. A row with no real step (length 0) outputs zeros
/// everywhere and its final state is its initial state.
///
/// ```swift
/// let byLength = SequenceMask(lengths: [3, 1, 0])          // batch of 3, right-padded
/// let byMask = SequenceMask(mask: [[true, true, false]])    // same as lengths [2]
/// ```
public struct SequenceMask: Sendable, Equatable {
  enum Storage: Sendable, Equatable {
    case lengths([Int])
    case flags([[Bool]])
  }
  let storage: Storage

  /// Rows are real for their first `lengths[b]` steps (a right-padded batch, PyTorch's
  /// `pack_padded_sequence` lengths). Lengths are checked against the input in `forward`.
  public init(lengths: [Int]) {
    storage = .lengths(lengths)
  }

  /// `mask[b][t]` is `true` where step `t` of row `b` is real. The real steps need not be a
  /// prefix (Keras allows holes); each row's real steps are visited in order, state carried
  /// over the others.
  public init(mask: [[Bool]]) {
    storage = .flags(mask)
  }

  /// A `[B, T]` mask tensor; nonzero entries are real steps (Keras' mask as 0/1 values).
  public init<Scalar: TensorScalar>(mask: Tensor<Scalar>) throws {
    guard mask.rank == 2 else {
      throw RecurrentError.lengths("a mask tensor must be [B, T], received shape \(mask.shape)")
    }
    let (b, t) = (mask.shape[0], mask.shape[1])
    storage = .flags((0..<b).map { row in (0..<t).map { mask.scalars[row * t + $0] != 0 } })
  }

  /// The number of real steps in each row.
  public var lengths: [Int] {
    switch storage {
    case let .lengths(l): return l
    case let .flags(f): return f.map { row in row.reduce(0) { $0 + ($1 ? 1 : 0) } }
    }
  }

  /// The real time positions of each row in increasing order, validated against `[batch, time]`.
  func positions(batch: Int, time: Int) throws -> [[Int]] {
    switch storage {
    case let .lengths(lengths):
      guard lengths.count == batch else {
        throw RecurrentError.lengths(
          "lengths must have one entry per batch row (\(batch)), received \(lengths.count)")
      }
      return try lengths.enumerated().map { b, length in
        guard (0...time).contains(length) else {
          throw RecurrentError.lengths(
            "lengths[\(b)] must be in 0...\(time) (the input's T), received \(length)")
        }
        return Array(0..<length)
      }
    case let .flags(flags):
      guard flags.count == batch, flags.allSatisfy({ $0.count == time }) else {
        throw RecurrentError.lengths(
          "mask must be [B, T] = [\(batch), \(time)], received \(flags.count) rows of lengths "
            + "\(Set(flags.map(\.count)).sorted())")
      }
      return flags.map { row in row.indices.filter { row[$0] } }
    }
  }
}
