import Foundation

/// Foundation's `log`, reachable from inlinable code without exporting Foundation in signatures.
@usableFromInline
func _elementaryLog(_ x: Double) -> Double { Foundation.log(x) }

/// Foundation's `exp` for the inlinable log-sum-exp.
@usableFromInline
func _elementaryExp(_ x: Double) -> Double { Foundation.exp(x) }
