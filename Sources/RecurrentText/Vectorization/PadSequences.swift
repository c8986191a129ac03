/// Which end of a sequence padding is added to, or truncation removes from (Keras's
/// `"pre"` / `"post"`).
public enum SequenceEnd: Sendable, Equatable {
  /// The beginning of the sequence.
  case pre
  /// The end of the sequence.
  case post
}

/// Pads (or truncates) ragged sequences to one length, as `keras.utils.pad_sequences`: the result
/// is `[sequences.count, T]` with `T = maxlen ?? longest sequence`.
///
/// The element type plays Keras's `dtype` (`Int32` for "int32", `Float` for "float32", …).
///
/// ```swift
/// padSequences([[1, 2, 3], [4]] as [[Int32]], maxlen: 2)
/// // [[2, 3], [0, 4]]   (pre-padding, pre-truncation, as Keras)
/// padSequences([[1, 2, 3], [4]] as [[Int32]], padding: .post, truncating: .post, value: -1)
/// // [[1, 2, 3], [4, -1, -1]]
/// ```
///
/// Difference from Keras 3.15: `maxlen: 0` gives empty rows (Keras raises a broadcasting error).
public func padSequences<Element: Numeric>(
  _ sequences: [[Element]], maxlen: Int? = nil, padding: SequenceEnd = .pre,
  truncating: SequenceEnd = .pre, value: Element = 0
) -> [[Element]] {
  precondition(maxlen.map { $0 >= 0 } ?? true, "maxlen must be non-negative, received \(maxlen!)")
  let width = maxlen ?? sequences.map(\.count).max() ?? 0
  return sequences.map { s in
    let kept: ArraySlice<Element> =
      s.count <= width ? s[...] : truncating == .pre ? s.suffix(width) : s.prefix(width)
    let fill = repeatElement(value, count: width - kept.count)
    return padding == .pre ? Array(fill) + kept : Array(kept) + fill
  }
}
