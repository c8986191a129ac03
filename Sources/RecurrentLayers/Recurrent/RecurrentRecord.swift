// What a forward pass over a sequence keeps for its backward pass, in step order.
import RecurrentTensor

/// Raw buffers owned by one forward pass. A class so the record can be passed around without
/// copying megabytes; it is never mutated after the forward pass that filled it.
final class ScalarArena<Scalar: TensorScalar>: @unchecked Sendable {
  private var blocks: [UnsafeMutableRawPointer] = []

  /// `count` uninitialised scalars that live as long as the arena.
  func allocate(_ count: Int) -> UnsafeMutablePointer<Scalar> {
    let p = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
    blocks.append(UnsafeMutableRawPointer(p))
    return p
  }

  /// `count` zeroed scalars.
  func zeros(_ count: Int) -> UnsafeMutablePointer<Scalar> {
    let p = allocate(count)
    p.initialize(repeating: 0, count: max(count, 1))
    return p
  }

  deinit {
    for block in blocks { block.deallocate() }
  }
}

/// Everything the backward pass of one ``RecurrentLayer`` call needs: the step order, the
/// inputs as the cell saw them, every state, the cells' caches and the dropout masks.
///
/// Opaque on purpose: make one with ``RecurrentLayer/forward(_:initialState:mask:training:generator:)``
/// and hand it back to ``RecurrentLayer/backward(_:gradOutput:gradStates:)``.
// @unchecked: the pointers are into `arena`, written only by the forward pass that made the record.
public struct RecurrentRecord<Cell: RecurrentCell>: @unchecked Sendable {
  public typealias Scalar = Cell.Scalar
  let cell: Cell
  let batch: Int
  let time: Int
  /// Number of steps run: the longest row's count of real steps.
  let steps: Int
  let returnSequences: Bool
  /// `[steps · B]`: the time position each (step, row) reads, or -1 when the row has ended.
  let positions: [Int]
  /// Real steps per row.
  let counts: [Int]
  /// Rows ordered by increasing count: at step `s` the rows `rowsByCount[..<k]` with
  /// `counts <= s` are inactive.
  let rowsByCount: [Int]
  let arena: ScalarArena<Scalar>
  /// `[steps, B, D]`: inputs in step order, after input dropout.
  let inputs: UnsafeMutablePointer<Scalar>
  /// `[steps, B, G·H]`: what each forward step left in its gates buffer.
  let gates: UnsafeMutablePointer<Scalar>
  /// `[steps + 1, B, H]`: `h` before the first step and after every step.
  let hidden: UnsafeMutablePointer<Scalar>
  /// `[steps + 1, B, H]`: `c` likewise (LSTM), else `nil`.
  let cellState: UnsafeMutablePointer<Scalar>?
  /// `[steps, B, H]`: `h ⊙ recurrent mask` per step when recurrent dropout is on, else `nil`
  /// (the cell read `hidden` directly).
  let hiddenIn: UnsafeMutablePointer<Scalar>?
  /// `[steps, B, cacheWidth]`.
  let cache: UnsafeMutablePointer<Scalar>
  /// `[B, D]` input dropout mask (already scaled by `1/(1-p)`), or `nil`.
  let inputMask: [Scalar]?
  /// `[B, H]` recurrent dropout mask, or `nil`.
  let recurrentMask: [Scalar]?

  /// Number of rows inactive at step `s` (a prefix of `rowsByCount`).
  func inactiveCount(atStep s: Int) -> Int {
    var k = 0
    while k < rowsByCount.count && counts[rowsByCount[k]] <= s { k += 1 }
    return k
  }
}
