/// An error in input data or files: names the file, the line or byte offset, and the fix.
///
///     do { _ = try LineReader(path: "missing.txt") } catch let error as TextInputError {
///       print(error)  // missing.txt: cannot open (No such file or directory). Fix: check the path.
///     }
public struct TextInputError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What went wrong, for callers that branch on it.
  public enum Kind: String, Sendable, Equatable {
    case cannotOpen, ioFailure, notGzip, truncated, corrupt, checksumMismatch, lengthMismatch
    case trailingGarbage, lineTooLong, invalidUTF8, malformedRecord
  }

  public var kind: Kind
  /// The file name as given (`<stdin>` or `<memory>` for other sources).
  public var file: String
  /// 1-based line number, when the error belongs to a line.
  public var line: Int?
  /// 0-based byte offset in the file (for gzip: in the compressed file unless `reason` says otherwise).
  public var byteOffset: Int?
  public var reason: String
  public var fix: String

  public init(
    _ kind: Kind, file: String, line: Int? = nil, byteOffset: Int? = nil, reason: String,
    fix: String
  ) {
    self.kind = kind
    self.file = file
    self.line = line
    self.byteOffset = byteOffset
    self.reason = reason
    self.fix = fix
  }

  public var description: String {
    var place = file
    if let line { place += ":\(line)" }
    if let byteOffset { place += " (byte offset \(byteOffset))" }
    return "\(place): \(reason). Fix: \(fix)"
  }
}
