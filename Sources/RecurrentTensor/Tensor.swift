/// An n-dimensional array of scalars, contiguous and row-major, with value semantics
/// (copy-on-write through its storage array).
///
/// Layout conventions used across Recurrent (see the DocC article "Shapes"):
/// `B` batch, `T` time steps, `D` input features, `H` hidden units, `V` vocabulary size.
/// Sequences are `[B, T, D]`, recurrent states `[B, H]`.
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
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) {
    self.init(repeating: 0, shape: shape)
  }

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { scalars.count }
}

/// Errors raised by tensor operations when the problem comes from user data (shapes that do not
/// fit, non-finite values). Programmer errors stay preconditions.
public enum TensorError: Error, CustomStringConvertible, Equatable {
  /// Two shapes that must agree do not; `operation` names what was attempted.
  case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
  /// A value is NaN or infinite; `context` says where it was found.
  case nonFinite(context: String, index: Int)

  public var description: String {
    switch self {
    case let .shapeMismatch(operation, lhs, rhs):
      return "\(operation): shapes \(lhs) and \(rhs) do not fit"
    case let .nonFinite(context, index):
      return "\(context): non-finite value at flat index \(index)"
    }
  }
}
