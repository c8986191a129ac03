/// Chunk tagging schemes and conversion between them.
///
/// - `.iob1` (IOB): `I-X` inside chunks; `B-X` only where a chunk follows one of the same type.
/// - `.iob2` (BIO): every chunk starts with `B-X`.
/// - `.bioes` (IOBES): `S-X` single-token chunks, `B-X … I-X … E-X` longer ones.
///
///     try TagScheme.convert(["B-PER", "I-PER", "O", "B-LOC"], from: .iob2, to: .bioes)
///     // ["B-PER", "E-PER", "O", "S-LOC"]
///
/// Decoding is lenient where taggers disagree (an `I-X` after `O` or another type starts a
/// chunk, as in seqeval and conlleval); a tag that is not `O` or `P-TYPE` with a prefix of the
/// scheme is an error naming its position.
public enum TagScheme: String, Sendable, CaseIterable {
  case iob1, iob2, bioes

  /// A labelled span `[start, end)` of token positions.
  public struct Chunk: Sendable, Equatable {
    public var type: String
    public var start: Int
    public var end: Int
    public init(type: String, start: Int, end: Int) {
      self.type = type
      self.start = start
      self.end = end
    }
  }

  public static func convert(_ tags: [String], from: TagScheme, to: TagScheme) throws -> [String] {
    try encode(chunks(tags, scheme: from), count: tags.count, scheme: to)
  }

  static func parse(_ tag: String, at i: Int, scheme: TagScheme) throws -> (Character, String)? {
    if tag == "O" { return nil }
    let allowed: Set<Character> = scheme == .bioes ? ["B", "I", "E", "S"] : ["B", "I"]
    guard tag.count >= 3, let p = tag.first, allowed.contains(p),
      tag[tag.index(after: tag.startIndex)] == "-"
    else {
      throw TextInputError(
        .malformedRecord, file: "<tags>", line: nil,
        reason: "tag \(tag.debugDescription) at position \(i) is not O or "
          + "\(allowed.sorted().map(String.init).joined(separator: "/"))-TYPE for \(scheme)",
        fix: "check the scheme passed to TagScheme (iob1, iob2, bioes)")
    }
    return (p, String(tag.dropFirst(2)))
  }

  /// The chunks a tag sequence encodes.
  public static func chunks(_ tags: [String], scheme: TagScheme) throws -> [Chunk] {
    var out: [Chunk] = []
    var current: Chunk?
    func close(_ end: Int) {
      if var c = current {
        c.end = end
        out.append(c)
      }
      current = nil
    }
    for (i, tag) in tags.enumerated() {
      guard let (p, type) = try parse(tag, at: i, scheme: scheme) else {
        close(i)
        continue
      }
      let continues = current?.type == type
      switch (scheme, p) {
      case (.iob1, "I"), (.iob2, "I"), (.bioes, "I"), (.bioes, "E"):
        if !continues {
          close(i)
          current = Chunk(type: type, start: i, end: i)
        }
        if scheme == .bioes && p == "E" { close(i + 1) }
      case (_, "S"):
        close(i)
        out.append(Chunk(type: type, start: i, end: i + 1))
      default:  // "B"
        close(i)
        current = Chunk(type: type, start: i, end: i)
      }
    }
    close(tags.count)
    return out
  }

  /// The tags of `count` tokens holding `chunks` (sorted, non-overlapping).
  public static func encode(_ chunks: [Chunk], count: Int, scheme: TagScheme) -> [String] {
    var tags = [String](repeating: "O", count: count)
    var previous: Chunk?
    for c in chunks {
      let length = c.end - c.start
      for i in c.start..<c.end { tags[i] = "I-" + c.type }
      switch scheme {
      case .iob1:
        if let p = previous, p.end == c.start, p.type == c.type { tags[c.start] = "B-" + c.type }
      case .iob2:
        tags[c.start] = "B-" + c.type
      case .bioes:
        if length == 1 {
          tags[c.start] = "S-" + c.type
        } else {
          tags[c.start] = "B-" + c.type
          tags[c.end - 1] = "E-" + c.type
        }
      }
      previous = c
    }
    return tags
  }
}
