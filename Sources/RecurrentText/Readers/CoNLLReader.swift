/// A sentence of a CoNLL column file: one row of columns per token.
public struct CoNLLSentence: Sendable, Equatable {
  public var rows: [[String]]
  /// 1-based line of the first token.
  public var line: Int

  /// Column `index` of every token (0 = the token itself, last = the tag in NER files).
  public func column(_ index: Int) -> [String] { rows.map { $0[index] } }
  public var tokens: [String] { column(0) }
  /// The last column (the NER tag in CoNLL-2002/2003 and WNUT files).
  public var tags: [String] { rows.map { $0[$0.count - 1] } }
}

/// Streams sentences from CoNLL-2000/2002/2003-style column files (WNUT too): one token per line,
/// columns separated by whitespace (or only by tabs with `tabsOnly`), a blank line between
/// sentences, `-DOCSTART-` lines skipped. Plain or gzip.
///
///     let reader = try CoNLLReader(path: "../shared/data/ner-conll2002/esp.train.gz")
///     while let s = try reader.next() {
///       let bioes = try TagScheme.convert(s.tags, from: .iob2, to: .bioes)
///     }
///
/// A line whose column count differs from the file's first token line is a `TextInputError`
/// naming the file and line.
public final class CoNLLReader {
  let lines: LineReader
  let tabsOnly: Bool
  public private(set) var columnCount: Int?

  public init(path: String, tabsOnly: Bool = false) throws {
    lines = try LineReader(path: path)
    self.tabsOnly = tabsOnly
  }

  public init(source: any ByteSource, tabsOnly: Bool = false) {
    lines = LineReader(source: source)
    self.tabsOnly = tabsOnly
  }

  public func next() throws -> CoNLLSentence? {
    var sentence = CoNLLSentence(rows: [], line: 0)
    while let line = try lines.next() {
      let cols: [String] =
        tabsOnly
        ? line.split(separator: "\t").map(String.init)
        : WhitespaceTokenizer().tokenize(line)
      if cols.isEmpty {
        if sentence.rows.isEmpty { continue }
        return sentence
      }
      if cols[0] == "-DOCSTART-" { continue }
      if columnCount == nil { columnCount = cols.count }
      guard cols.count == columnCount else {
        throw TextInputError(
          .malformedRecord, file: lines.name, line: lines.lineNumber,
          reason: "line has \(cols.count) columns, earlier lines have \(columnCount!)",
          fix: "give every token line the same columns (tokens containing spaces need tabsOnly)")
      }
      if sentence.rows.isEmpty { sentence.line = lines.lineNumber }
      sentence.rows.append(cols)
    }
    return sentence.rows.isEmpty ? nil : sentence
  }

  public func readAll() throws -> [CoNLLSentence] {
    var out: [CoNLLSentence] = []
    while let s = try next() { out.append(s) }
    return out
  }
}
