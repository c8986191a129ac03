/// An n-dimensional array of scalars, contiguous and row-major, with value semantics
/// (copy-on-write through its storage array).
///
/// Layout conventions used across Recurrent (see the DocC article "Shapes"):
/// `B` batch, `T` time steps, `D` input features, `H` hidden units, `V` vocabulary size.
/// Sequences are `[B, T, D]`, recurrent states `[B, H]`.
///
/// Error policy: operations whose shapes are wired by program code (matmul, add, softmax, concat,
/// …) check their shapes with `precondition` and print the shapes they received; anything whose
/// validity depends on data (a token id outside the vocabulary in ``gatherRows(_:indexShape:)``,
/// a shape read from a file, a user's input checked with ``expectShape(_:operation:)``) throws a
/// ``TensorError`` instead.
///
/// ```swift
/// let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// x.shape  // [2, 3]
/// ```
public struct Tensor<Scalar: TensorScalar>: Sendable {
  /// The extent of each axis, outermost first.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public var scalars: [Scalar]

  /// Creates a tensor from its shape and row-major elements.
  /// - Precondition: `scalars.count` equals the product of `shape` (a programmer error otherwise;
  ///   data read from files is validated with ``TensorError`` before it gets here).
  public init(shape: [Int], scalars: [Scalar]) {
    precondition(
      shape.allSatisfy { $0 >= 0 }, "Tensor shape must be non-negative, received \(shape)")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor shape \(shape) needs \(shape.reduce(1, *)) scalars, received \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of the given shape filled with `value`.
  @inlinable
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor of zeros.
  @inlinable
  public init(zeros shape: [Int]) {
    self.init(repeating: 0, shape: shape)
  }

  /// A tensor of ones.
  @inlinable
  public init(ones shape: [Int]) {
    self.init(repeating: 1, shape: shape)
  }

  /// A rank-0 tensor (shape `[]`) holding one scalar.
  @inlinable
  public init(_ scalar: Scalar) {
    self.init(shape: [], scalars: [scalar])
  }

  /// The number of axes.
  @inlinable public var rank: Int { shape.count }
  /// The number of elements.
  @inlinable public var count: Int { scalars.count }

  /// The only element of a one-element tensor (a loss, say).
  /// - Precondition: `count == 1`.
  @inlinable
  public var scalar: Scalar {
    precondition(count == 1, "Tensor.scalar needs exactly one element, shape is \(shape)")
    return scalars[0]
  }
}

extension Tensor {
  /// Creates a tensor from a shape and elements that came from data (a file, a user), throwing
  /// ``TensorError/shapeMismatch(operation:lhs:rhs:)`` instead of trapping when they disagree.
  ///
  /// ```swift
  /// let t = try Tensor<Float>(validatingShape: [2, 2], scalars: [1, 2, 3, 4])
  /// ```
  public init(validatingShape shape: [Int], scalars: [Scalar]) throws {
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
      throw TensorError.shapeMismatch(
        operation: "Tensor(validatingShape:scalars:) with \(scalars.count) scalars", lhs: shape,
        rhs: [scalars.count])
    }
    self.init(shape: shape, scalars: scalars)
  }

  /// Converts every element to another scalar type (`Float` ↔ `Double`).
  @inlinable
  public init<Other: TensorScalar>(converting other: Tensor<Other>) {
    self.init(shape: other.shape, scalars: other.scalars.map { Scalar($0) })
  }

  /// Builds a tensor by letting `body` write every element of an uninitialized buffer.
  @inlinable
  public init(
    shape: [Int], unsafeUninitializedScalars body: (UnsafeMutableBufferPointer<Scalar>) -> Void
  ) {
    let n = shape.reduce(1, *)
    let storage = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
      body(buffer)
      initialized = n
    }
    self.init(shape: shape, scalars: storage)
  }

  /// The same elements under a new shape; one axis may be `-1` to be inferred.
  ///
  /// ```swift
  /// Tensor<Float>(zeros: [2, 3, 4]).reshaped([6, -1]).shape  // [6, 4]
  /// ```
  @inlinable
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element)
      let knownCount = known.reduce(1, *)
      precondition(
        knownCount > 0 && count % knownCount == 0,
        "reshaped: cannot infer -1 in \(newShape) for \(count) elements (shape \(shape))")
      resolved[inferred] = count / knownCount
    }
    precondition(
      resolved.reduce(1, *) == count,
      "reshaped: shape \(shape) (\(count) elements) cannot become \(newShape)")
    return Tensor(shape: resolved, scalars: scalars)
  }

  /// Throws ``TensorError/shapeMismatch(operation:lhs:rhs:)`` (received shape first, expected
  /// shape second with `-1` for "any") unless this tensor's shape matches `expected`, where `nil`
  /// accepts any extent. Layers call it on user inputs so errors name the shapes received.
  ///
  /// ```swift
  /// try x.expectShape([nil, nil, 8], operation: "LSTM input [B, T, D]")
  /// ```
  public func expectShape(_ expected: [Int?], operation: String) throws {
    let fits =
      expected.count == shape.count
      && zip(expected, shape).allSatisfy { want, got in want == nil || want == got }
    if !fits {
      throw TensorError.shapeMismatch(
        operation: operation, lhs: shape, rhs: expected.map { $0 ?? -1 })
    }
  }

  /// The element at a full index (one position per axis), row-major.
  ///
  /// ```swift
  /// var t = Tensor<Float>(zeros: [2, 3])
  /// t[1, 2] = 5          // t.scalars[5]
  /// ```
  @inlinable
  public subscript(index: Int...) -> Scalar {
    get { scalars[flatIndex(index)] }
    set { scalars[flatIndex(index)] = newValue }
  }

  @inlinable
  func flatIndex(_ index: [Int]) -> Int {
    precondition(
      index.count == shape.count,
      "Tensor index \(index) needs \(shape.count) positions for \(shape)")
    var flat = 0
    for (i, extent) in zip(index, shape) {
      precondition(i >= 0 && i < extent, "Tensor index \(index) is outside shape \(shape)")
      flat = flat * extent + i
    }
    return flat
  }

  /// Read access to the elements as a contiguous buffer.
  @inlinable
  public func withUnsafeBufferPointer<R>(
    _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try scalars.withUnsafeBufferPointer(body)
  }

  /// Write access to the elements as a contiguous buffer (copies first if storage is shared).
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try scalars.withUnsafeMutableBufferPointer(body)
  }
}

extension Tensor: Equatable {}

extension Tensor: CustomStringConvertible {
  /// Shape and the first few elements, e.g. `Tensor<Float>[2, 3] [1.0, 2.0, 3.0, 4.0, …]`.
  public var description: String {
    let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor<\(Scalar.self)>\(shape) [\(head)\(count > 8 ? ", …" : "")]"
  }
}

/// Errors raised by tensor operations when the problem comes from user data (shapes that do not
/// fit, non-finite values, indices outside a table). Programmer errors stay preconditions.
public enum TensorError: Error, CustomStringConvertible, Equatable {
  /// Two shapes that must agree do not; `operation` names what was attempted.
  case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
  /// A value is NaN or infinite; `context` says where it was found.
  case nonFinite(context: String, index: Int)
  /// An index (a token id, say) lies outside `0..<bound`; `position` is its place in the list.
  case indexOutOfRange(operation: String, index: Int, position: Int, bound: Int)

  public var description: String {
    switch self {
    case let .shapeMismatch(operation, lhs, rhs):
      return "\(operation): shapes \(lhs) and \(rhs) do not fit"
    case let .nonFinite(context, index):
      return "\(context): non-finite value at flat index \(index)"
    case let .indexOutOfRange(operation, index, position, bound):
      return
        "\(operation): index \(index) at position \(position) is outside 0..<\(bound); "
        + "check the vocabulary size or the id mapping"
    }
  }
}

extension Tensor {
  /// Token ids as an embedding layer reads them: `[N, T]` from `N` padded rows of `T` ids
  /// (`padSequences` output). `width` gives `T` when there may be no rows.
  ///
  /// ```swift
  /// let x = Tensor<Float>(idRows: [[4, 2, 0], [7, 0, 0]])   // shape [2, 3]
  /// ```
  /// - Precondition: every row has `width` ids (padding is the caller's job).
  public init<I: BinaryInteger>(idRows rows: [[I]], width: Int? = nil) {
    let t = width ?? rows.first?.count ?? 0
    precondition(
      rows.allSatisfy { $0.count == t }, "idRows: every row needs \(t) ids; pad them first")
    self.init(shape: [rows.count, t], scalars: rows.flatMap { $0.map { Scalar(Int($0)) } })
  }
}
