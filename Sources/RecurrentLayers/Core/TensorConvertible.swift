// Plain Swift arrays as model inputs and targets, as Keras takes numpy arrays and lists:
// `[Int]` labels, `[[Int]]` padded id rows, `[[[Float]]]` feature sequences.
import RecurrentTensor

/// A value that becomes a tensor: a number, a tensor, or a rectangular nested array of them.
///
/// ```swift
/// let labels = try [1, 0, 1, 0].tensor(as: Float.self)           // shape [4]
/// let ids = try [[4, 2, 0], [7, 1, 3]].tensor(as: Float.self)     // shape [2, 3]
/// ```
public protocol TensorConvertible {
  /// The shape the value has as a tensor (`[]` for a number); for arrays, the first element's
  /// shape after the count.
  var tensorShape: [Int] { get }
  /// Appends the elements in row-major order, throwing when the nesting is ragged.
  func appendScalars<S: TensorScalar>(to scalars: inout [S]) throws
}

extension TensorConvertible {
  /// The value as a `Tensor<S>`; throws ``ModelError/invalidArgument(_:)`` for ragged rows.
  public func tensor<S: TensorScalar>(as _: S.Type = S.self) throws -> Tensor<S> {
    var scalars: [S] = []
    try appendScalars(to: &scalars)
    return Tensor(shape: tensorShape, scalars: scalars)
  }
}

extension Int: TensorConvertible {
  public var tensorShape: [Int] { [] }
  public func appendScalars<S: TensorScalar>(to scalars: inout [S]) { scalars.append(S(self)) }
}

extension Float: TensorConvertible {
  public var tensorShape: [Int] { [] }
  public func appendScalars<S: TensorScalar>(to scalars: inout [S]) { scalars.append(S(self)) }
}

extension Double: TensorConvertible {
  public var tensorShape: [Int] { [] }
  public func appendScalars<S: TensorScalar>(to scalars: inout [S]) { scalars.append(S(self)) }
}

extension Tensor: TensorConvertible {
  public var tensorShape: [Int] { shape }
  public func appendScalars<S: TensorScalar>(to out: inout [S]) {
    out.append(contentsOf: scalars.lazy.map { S($0) })
  }
}

extension Array: TensorConvertible where Element: TensorConvertible {
  public var tensorShape: [Int] { [count] + (first?.tensorShape ?? []) }

  public func appendScalars<S: TensorScalar>(to scalars: inout [S]) throws {
    let rowShape = first?.tensorShape ?? []
    for (i, element) in enumerated() {
      guard element.tensorShape == rowShape else {
        throw ModelError.invalidArgument(
          "row \(i) has shape \(element.tensorShape) but row 0 has \(rowShape); rows must have "
            + "one length (pad token rows with padSequences)")
      }
      try element.appendScalars(to: &scalars)
    }
  }
}
