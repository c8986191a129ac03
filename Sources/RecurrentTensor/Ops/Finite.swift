// NaN / infinity checks for training loops (a diverging loss should stop the run with a message).

extension Tensor {
  /// Throws ``TensorError/nonFinite(context:index:)`` at the first NaN or infinite element.
  ///
  /// ```swift
  /// try loss.checkFinite(context: "loss at epoch 3, batch 17")
  /// ```
  @inlinable
  public func checkFinite(context: String) throws {
    let bad = withUnsafeBufferPointer { x -> Int? in
      for i in 0..<x.count where !x[i].isFinite { return i }
      return nil
    }
    if let bad { throw TensorError.nonFinite(context: context, index: bad) }
  }
}

extension Variable {
  /// Throws ``TensorError/nonFinite(context:index:)`` if the value holds a NaN or infinity.
  @inlinable
  public func checkFinite(context: String) throws { try value.checkFinite(context: context) }
}
