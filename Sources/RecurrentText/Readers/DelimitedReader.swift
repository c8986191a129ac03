/// Streams records of a CSV or TSV file (RFC 4180 quoting), plain or gzip.
///
///     let reader = try DelimitedReader(path: "train.tsv", delimiter: "\t", hasHeader: true)
///     while let record = try reader.next() { print(record[reader.column("text")!]) }
///
/// A field starting with the quote character is quoted: it may hold delimiters, newlines and
/// doubled quotes (`""` → `"`). Elsewhere a quote is an ordinary character. Like Python's `csv`
/// module (the reference in the tests), characters after a closing quote are appended to the
/// field. An unterminated quoted field or a record whose field count differs from the header is
/// a `TextInputError` naming the file and line.
public final class DelimitedReader {
  public let delimiter: Unicode.Scalar
  /// The quote character, or nil to read fields literally.
  public let quote: Unicode.Scalar?
  /// The first record, when `hasHeader`.
  public private(set) var header: [String]?
  /// Line where the last returned record started (1-based).
  public private(set) var recordLine = 0
  let lines: LineReader
  let checkFieldCount: Bool

  public init(
    path: String, delimiter: Unicode.Scalar = ",", quote: Unicode.Scalar? = "\"",
    hasHeader: Bool = false, checkFieldCount: Bool = true
  ) throws {
    self.delimiter = delimiter
    self.quote = quote
    self.checkFieldCount = checkFieldCount
    lines = try LineReader(path: path)
    if hasHeader { header = try next() }
  }

  public init(
    source: any ByteSource, delimiter: Unicode.Scalar = ",", quote: Unicode.Scalar? = "\"",
    hasHeader: Bool = false, checkFieldCount: Bool = true
  ) throws {
    self.delimiter = delimiter
    self.quote = quote
    self.checkFieldCount = checkFieldCount
    lines = LineReader(source: source)
    if hasHeader { header = try next() }
  }

  /// Index of a header column.
  public func column(_ name: String) -> Int? { header?.firstIndex(of: name) }

  /// The next record's fields, or nil at the end. Empty lines are skipped.
  public func next() throws -> [String]? {
    var fields: [String] = []
    var field = String.UnicodeScalarView()
    var inQuotes = false
    var started = false
    while let line = try lines.next() {
      if !started {
        if line.isEmpty { continue }
        started = true
        recordLine = lines.lineNumber
      } else {
        field.append("\n")  // a newline inside a quoted field
      }
      var atFieldStart = !inQuotes && field.isEmpty
      var iterator = line.unicodeScalars.makeIterator()
      var pending = iterator.next()
      while let c = pending {
        pending = iterator.next()
        if inQuotes {
          if c == quote {
            if pending == quote {
              field.append(c)
              pending = iterator.next()
            } else {
              inQuotes = false
            }
          } else {
            field.append(c)
          }
        } else if c == delimiter {
          fields.append(String(field))
          field = String.UnicodeScalarView()
          atFieldStart = true
          continue
        } else if atFieldStart, let q = quote, c == q {
          inQuotes = true
        } else {
          field.append(c)
        }
        atFieldStart = false
      }
      if !inQuotes {
        fields.append(String(field))
        if checkFieldCount, let header, fields.count != header.count {
          throw TextInputError(
            .malformedRecord, file: lines.name, line: recordLine,
            reason: "record has \(fields.count) fields, the header has \(header.count)",
            fix: "quote fields that contain the delimiter, or pass checkFieldCount: false")
        }
        return fields
      }
    }
    if inQuotes {
      throw TextInputError(
        .malformedRecord, file: lines.name, line: recordLine,
        reason: "quoted field starting on this line is never closed",
        fix: "close the quote (a quote inside a quoted field is written twice: \"\")")
    }
    return nil
  }

  /// All remaining records.
  public func readAll() throws -> [[String]] {
    var out: [[String]] = []
    while let r = try next() { out.append(r) }
    return out
  }
}
