// Layout ops: row gather (embedding lookup) and its scatter-add, concat / split / slice along
// any axis (features, time), swapping the first two axes, reshape — each with its backward.

extension Tensor {
  /// Looks up rows of this table `[V, ...]` (an embedding matrix `[V, D]`): the result has shape
  /// `indexShape + shape.dropFirst()` (default `indexShape` is `[indices.count]`).
  ///
  /// - Throws: ``TensorError/indexOutOfRange(operation:index:position:bound:)`` for an index
  ///   outside `0..<V` (token ids come from data).
  ///
  /// ```swift
  /// let e = try table.gatherRows(ids, indexShape: [B, T])  // [V, D] → [B, T, D]
  /// ```
  @inlinable
  public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) throws -> Tensor {
    precondition(rank >= 1, "gatherRows: the table needs rank ≥ 1, shape is \(shape)")
    let outerShape = indexShape ?? [indices.count]
    precondition(
      outerShape.reduce(1, *) == indices.count,
      "gatherRows: indexShape \(outerShape) does not hold \(indices.count) indices")
    for (position, index) in indices.enumerated() where index < 0 || index >= shape[0] {
      throw TensorError.indexOutOfRange(
        operation: "gatherRows from table \(shape)", index: index, position: position,
        bound: shape[0])
    }
    return gatherRowsUnchecked(indices, outerShape: outerShape)
  }

  @inlinable
  func gatherRowsUnchecked(_ indices: [Int], outerShape: [Int]) -> Tensor {
    let width = shape.dropFirst().reduce(1, *)
    if width == 0 || indices.isEmpty { return Tensor(zeros: outerShape + shape.dropFirst()) }
    return Tensor(shape: outerShape + shape.dropFirst()) { out in
      scalars.withUnsafeBufferPointer { table in
        for (r, index) in indices.enumerated() {
          (out.baseAddress! + r * width).update(
            from: table.baseAddress! + index * width, count: width)
        }
      }
    }
  }

  /// Adds row `r` of `values` `[indices.count, ...]` into row `indices[r]` of a zero
  /// table `[rowCount, ...]`; repeated indices accumulate. The gradient of ``gatherRows(_:indexShape:)``.
  ///
  /// - Throws: ``TensorError/indexOutOfRange(operation:index:position:bound:)``.
  @inlinable
  public static func scatterAddingRows(
    _ values: Tensor, indices: [Int], rowCount: Int
  ) throws -> Tensor {
    for (position, index) in indices.enumerated() where index < 0 || index >= rowCount {
      throw TensorError.indexOutOfRange(
        operation: "scatterAddingRows into \(rowCount) rows", index: index, position: position,
        bound: rowCount)
    }
    precondition(
      values.rank >= 1 && values.shape[0] == indices.count,
      "scatterAddingRows: values \(values.shape) must be [\(indices.count), ...] (one row per index)"
    )
    return scatterAddingRowsUnchecked(
      values, indices: indices, rowCount: rowCount, rowShape: Array(values.shape.dropFirst()))
  }

  @inlinable
  static func scatterAddingRowsUnchecked(
    _ values: Tensor, indices: [Int], rowCount: Int, rowShape: [Int]
  ) -> Tensor {
    let width = rowShape.reduce(1, *)
    var out = [Scalar](repeating: 0, count: rowCount * width)
    if width == 0 || indices.isEmpty { return Tensor(shape: [rowCount] + rowShape, scalars: out) }
    values.withUnsafeBufferPointer { v in
      out.withUnsafeMutableBufferPointer { o in
        for (r, index) in indices.enumerated() {
          let (src, dst) = (v.baseAddress! + r * width, o.baseAddress! + index * width)
          for j in 0..<width { dst[j] += src[j] }
        }
      }
    }
    return Tensor(shape: [rowCount] + rowShape, scalars: out)
  }

  /// The elements with index in `range` along `axis` (negative axes count from the end), e.g.
  /// time steps `x.sliced(alongAxis: 1, 2..<5)` of `[B, T, D]`, or features along axis `-1`.
  @inlinable
  public func sliced(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
    let a = normalizedAxis(axis, "sliced")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[a],
      "sliced: range \(range) is outside axis \(axis) of shape \(shape)")
    let (outer, n, inner) = splitAround(a)
    var newShape = shape
    newShape[a] = range.count
    let block = range.count * inner
    if block == 0 || outer == 0 { return Tensor(zeros: newShape) }
    return Tensor(shape: newShape) { out in
      scalars.withUnsafeBufferPointer { x in
        for p in 0..<outer {
          (out.baseAddress! + p * block).update(
            from: x.baseAddress! + (p * n + range.lowerBound) * inner, count: block)
        }
      }
    }
  }

  /// Cuts this tensor along `axis` into pieces of the given extents (they must add up to the
  /// axis's extent): gates `[B, 4H]` → four `[B, H]`, or the halves of a bidirectional output.
  @inlinable
  public func split(sizes: [Int], alongAxis axis: Int) -> [Tensor] {
    let a = normalizedAxis(axis, "split")
    precondition(
      sizes.reduce(0, +) == shape[a] && sizes.allSatisfy { $0 >= 0 },
      "split: sizes \(sizes) do not add up to axis \(axis) of shape \(shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return sliced(alongAxis: a, start..<(start + size))
    }
  }

  /// Swaps the first two axes: `[B, T, ...]` ↔ `[T, B, ...]`.
  @inlinable
  public func swappingFirstAxes() -> Tensor {
    precondition(rank >= 2, "swappingFirstAxes needs rank ≥ 2, shape is \(shape)")
    let (a, b) = (shape[0], shape[1])
    let inner = shape.dropFirst(2).reduce(1, *)
    var newShape = shape
    newShape.swapAt(0, 1)
    if count == 0 { return Tensor(zeros: newShape) }
    return Tensor(shape: newShape) { out in
      scalars.withUnsafeBufferPointer { x in
        for i in 0..<a {
          for j in 0..<b {
            (out.baseAddress! + (j * a + i) * inner).update(
              from: x.baseAddress! + (i * b + j) * inner, count: inner)
          }
        }
      }
    }
  }
}

/// Joins tensors along `axis` (negative counts from the end); all other extents must agree
/// (a precondition naming the shapes): `[B, T, H]` ⧺ `[B, T, H]` along `-1` → `[B, T, 2H]`.
@inlinable
public func concat<Scalar>(_ tensors: [Tensor<Scalar>], alongAxis axis: Int) -> Tensor<Scalar> {
  precondition(!tensors.isEmpty, "concat needs at least one tensor")
  let first = tensors[0]
  let a = first.normalizedAxis(axis, "concat")
  for t in tensors {
    var expected = first.shape
    expected[a] = t.rank == first.rank ? t.shape[a] : -1
    precondition(
      t.shape == expected,
      "concat along axis \(axis): shapes \(tensors.map(\.shape)) differ off that axis")
  }
  let (outer, _, inner) = first.splitAround(a)
  let total = tensors.reduce(0) { $0 + $1.shape[a] }
  var newShape = first.shape
  newShape[a] = total
  return Tensor(shape: newShape) { out in
    var offset = 0
    for t in tensors {
      let block = t.shape[a] * inner
      if block == 0 { continue }
      t.withUnsafeBufferPointer { x in
        for p in 0..<outer {
          (out.baseAddress! + p * total * inner + offset).update(
            from: x.baseAddress! + p * block, count: block)
        }
      }
      offset += block
    }
  }
}

extension Variable {
  /// Differentiable ``Tensor/gatherRows(_:indexShape:)`` (embedding lookup): the table's
  /// gradient is the scatter-add of the output gradient into the looked-up rows.
  @inlinable
  public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) throws -> Variable {
    let y = try value.gatherRows(indices, indexShape: indexShape)
    guard let tape else { return Variable(y) }
    let rowCount = value.shape[0]
    let rowShape = Array(value.shape.dropFirst())
    return tape.record("gatherRows", inputs: [self], outputs: [y]) { g in
      [
        Tensor.scatterAddingRowsUnchecked(
          g[0], indices: indices, rowCount: rowCount, rowShape: rowShape)
      ]
    }[0]
  }

  /// Differentiable ``Tensor/scatterAddingRows(_:indices:rowCount:)``: the gradient of `values`
  /// gathers the output gradient's rows back.
  @inlinable
  public static func scatterAddingRows(
    _ values: Variable, indices: [Int], rowCount: Int
  ) throws -> Variable {
    let y = try Tensor.scatterAddingRows(values.value, indices: indices, rowCount: rowCount)
    guard let tape = values.tape else { return Variable(y) }
    let valueShape = values.shape
    return tape.record("scatterAddingRows", inputs: [values], outputs: [y]) { g in
      [g[0].gatherRowsUnchecked(indices, outerShape: [indices.count]).reshaped(valueShape)]
    }[0]
  }

  /// Differentiable ``Tensor/sliced(alongAxis:_:)``: the gradient is zero outside `range`.
  @inlinable
  public func sliced(alongAxis axis: Int, _ range: Range<Int>) -> Variable {
    let y = value.sliced(alongAxis: axis, range)
    guard let tape else { return Variable(y) }
    let a = value.normalizedAxis(axis, "sliced")
    let shape = value.shape
    return tape.record("sliced", inputs: [self], outputs: [y]) { g in
      var before = shape
      before[a] = range.lowerBound
      var after = shape
      after[a] = shape[a] - range.upperBound
      return [concat([Tensor(zeros: before), g[0], Tensor(zeros: after)], alongAxis: a)]
    }[0]
  }

  /// Differentiable ``Tensor/split(sizes:alongAxis:)``: the gradient concatenates the pieces'
  /// gradients (zeros for pieces that did not reach the loss).
  @inlinable
  public func split(sizes: [Int], alongAxis axis: Int) -> [Variable] {
    let pieces = value.split(sizes: sizes, alongAxis: axis)
    guard let tape else { return pieces.map { Variable($0) } }
    let a = value.normalizedAxis(axis, "split")
    return tape.record("split", inputs: [self], outputs: pieces) { g in
      [concat(g, alongAxis: a)]
    }
  }

  /// Differentiable ``Tensor/swappingFirstAxes()``; its gradient swaps back.
  @inlinable
  public func swappingFirstAxes() -> Variable {
    let y = value.swappingFirstAxes()
    guard let tape else { return Variable(y) }
    return tape.record("swappingFirstAxes", inputs: [self], outputs: [y]) { g in
      [g[0].swappingFirstAxes()]
    }[0]
  }

  /// Differentiable ``Tensor/reshaped(_:)``.
  @inlinable
  public func reshaped(_ newShape: [Int]) -> Variable {
    let y = value.reshaped(newShape)
    guard let tape else { return Variable(y) }
    let shape = value.shape
    return tape.record("reshaped", inputs: [self], outputs: [y]) { g in [g[0].reshaped(shape)] }[0]
  }
}

/// Differentiable ``concat(_:alongAxis:)-(Array<Tensor>,_)``: each input's gradient is its slice
/// of the output gradient.
@inlinable
public func concat<Scalar>(_ variables: [Variable<Scalar>], alongAxis axis: Int) -> Variable<
  Scalar
> {
  let y = concat(variables.map(\.value), alongAxis: axis)
  guard let tape = Tape.common(variables) else { return Variable(y) }
  let a = y.normalizedAxis(axis, "concat")
  let sizes = variables.map { $0.shape[a] }
  return tape.record("concat", inputs: variables, outputs: [y]) { g in
    g[0].split(sizes: sizes, alongAxis: a)
  }[0]
}
