/// One token line of a CoNLL-U file (the ten columns of Universal Dependencies).
public struct CoNLLUToken: Sendable, Equatable {
  /// "3", a multiword range "3-4", or an empty node "3.1".
  public var id: String
  public var form: String
  public var lemma: String
  public var upos: String
  public var xpos: String
  public var feats: String
  public var head: String
  public var deprel: String
  public var deps: String
  public var misc: String

  /// Whether this is an ordinary word (not a multiword range or an empty node).
  public var isWord: Bool { !id.contains("-") && !id.contains(".") }
}

/// A sentence: its comment lines (`# text = …`) and its token lines.
public struct CoNLLUSentence: Sendable, Equatable {
  public var comments: [String]
  public var tokens: [CoNLLUToken]
  /// 1-based line of the sentence's first line in the file.
  public var line: Int

  /// The `# text = ` comment, if any.
  public var text: String? {
    comments.first { $0.hasPrefix("# text = ") }.map { String($0.dropFirst(9)) }
  }

  /// Ordinary words only (what taggers train on).
  public var words: [CoNLLUToken] { tokens.filter(\.isWord) }
}

/// Streams sentences from a CoNLL-U file (plain or gzip).
///
///     let reader = try CoNLLUReader(path: "../shared/data/pos-ud-english-ewt/en_ewt-ud-dev.conllu")
///     while let s = try reader.next() { print(s.words.map(\.form), s.words.map(\.upos)) }
///
/// A token line without exactly ten tab-separated columns, or with an empty ID or FORM, is a
/// `TextInputError` naming the file and line.
public final class CoNLLUReader {
  let lines: LineReader

  public init(path: String) throws { lines = try LineReader(path: path) }
  public init(source: any ByteSource) { lines = LineReader(source: source) }

  public func next() throws -> CoNLLUSentence? {
    var sentence = CoNLLUSentence(comments: [], tokens: [], line: 0)
    while let line = try lines.next() {
      if line.isEmpty {
        if sentence.tokens.isEmpty && sentence.comments.isEmpty { continue }
        return sentence
      }
      if sentence.line == 0 { sentence.line = lines.lineNumber }
      if line.hasPrefix("#") {
        sentence.comments.append(line)
        continue
      }
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard f.count == 10, !f[0].isEmpty, !f[1].isEmpty else {
        throw TextInputError(
          .malformedRecord, file: lines.name, line: lines.lineNumber,
          reason: "CoNLL-U token line has \(f.count) tab-separated columns, expected 10",
          fix: "separate the ten columns with tabs (use _ for empty values)")
      }
      sentence.tokens.append(
        CoNLLUToken(
          id: f[0], form: f[1], lemma: f[2], upos: f[3], xpos: f[4], feats: f[5], head: f[6],
          deprel: f[7], deps: f[8], misc: f[9]))
    }
    return sentence.tokens.isEmpty && sentence.comments.isEmpty ? nil : sentence
  }

  public func readAll() throws -> [CoNLLUSentence] {
    var out: [CoNLLUSentence] = []
    while let s = try next() { out.append(s) }
    return out
  }
}
