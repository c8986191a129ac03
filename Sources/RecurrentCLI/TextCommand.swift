import ArgumentParser
import Foundation
import Recurrent

/// `recurrent text`: text preprocessing over a file (plain or .gz) or standard input, one item
/// per output line.
///
///     recurrent text normalize --steps nfkc,lowercase,strip-accents,collapse-whitespace in.txt
///     recurrent text tokenize --tokenizer treebank in.txt.gz      # one token per line
///     recurrent text stem --mode original < words.txt             # one stem per line
///     recurrent text lemmatize --pos v < words.txt
struct TextCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text", abstract: "Normalize, tokenize, stem or lemmatize text line by line.",
    subcommands: [Normalize.self, Tokenize.self, Stem.self, Lemmatize.self])

  struct Input: ParsableArguments {
    @Argument(help: "Input file, plain or .gz; '-' or nothing for standard input.")
    var path = "-"
  }

  struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Apply normalization steps, in the order given, to each line.")

    @Option(
      help: """
        Comma-separated steps: nfc, nfd, nfkc, nfkd, lowercase, strip-accents, punctuation, \
        keras-filters, numbers, html, entities, urls, emails, mentions, hashtags, emoji, \
        emoji-names, collapse-whitespace.
        """)
    var steps = "nfc,collapse-whitespace"

    @OptionGroup var input: Input

    func run() throws {
      let normalizer = try TextNormalizer(parseSteps(steps))
      try eachLine(input.path) { line, out in out.write(normalizer(line)) }
    }
  }

  struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Tokenize each line; one token per output line (or one line per input line).")

    @Option(
      help: "treebank (NLTK word_tokenize), whitespace, regex, characters, graphemes, sentences.")
    var tokenizer = "treebank"

    @Option(help: "Pattern for --tokenizer regex (default: NLTK wordpunct).")
    var pattern = "\\w+|[^\\w\\s]+"

    @Flag(
      help: "Split sentences first (for running text; treebank splits periods only at the end).")
    var sentences = false

    @Flag(help: "Write each input line's tokens on one line, separated by spaces.")
    var joined = false

    @OptionGroup var input: Input

    func run() throws {
      let split = try makeTokenizer()
      let splitter = SentenceSplitter()
      try eachLine(input.path) { line, out in
        let pieces = sentences ? splitter.split(line) : [line]
        let tokens = pieces.flatMap(split)
        if joined {
          out.write(tokens.joined(separator: " "))
        } else {
          for t in tokens { out.write(t) }
        }
      }
    }

    func makeTokenizer() throws -> (String) -> [String] {
      switch tokenizer {
      case "treebank": return TreebankWordTokenizer().tokenize
      case "whitespace": return WhitespaceTokenizer().tokenize
      case "regex": return try RegexTokenizer(pattern: pattern).tokenize
      case "characters": return CharacterTokenizer().tokenize
      case "graphemes": return GraphemeTokenizer().tokenize
      case "sentences": return SentenceSplitter().split
      default:
        throw ValidationError(
          "unknown tokenizer '\(tokenizer)'; use treebank, whitespace, regex, characters, "
            + "graphemes or sentences")
      }
    }
  }

  struct Stem: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Porter-stem one word per line.")

    @Option(help: "original (1980 paper), martin (Porter's own code), nltk (NLTK default).")
    var mode = "nltk"

    @OptionGroup var input: Input

    func run() throws {
      guard let m = PorterStemmer.Mode(rawValue: mode) else {
        throw ValidationError("unknown mode '\(mode)'; use original, martin or nltk")
      }
      let stemmer = PorterStemmer(mode: m)
      try eachLine(input.path) { line, out in out.write(stemmer.stem(line)) }
    }
  }

  struct Lemmatize: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "WordNet-lemmatize one word per line (as NLTK's WordNetLemmatizer).")

    @Option(help: "Part of speech: n, v, a or r.")
    var pos = "n"

    @OptionGroup var input: Input

    func run() throws {
      guard let p = WordNetLemmatizer.POS(rawValue: pos) else {
        throw ValidationError("unknown part of speech '\(pos)'; use n, v, a or r")
      }
      let lemmatizer = try WordNetLemmatizer()
      try eachLine(input.path) { line, out in out.write(lemmatizer.lemmatize(line, pos: p)) }
    }
  }
}

func parseSteps(_ spec: String) throws -> [TextNormalizer.Step] {
  try spec.split(separator: ",").map { name in
    switch name {
    case "nfc": return .unicode(.nfc)
    case "nfd": return .unicode(.nfd)
    case "nfkc": return .unicode(.nfkc)
    case "nfkd": return .unicode(.nfkd)
    case "lowercase": return .lowercase
    case "strip-accents": return .stripAccents
    case "punctuation": return .removePunctuation()
    case "keras-filters": return .removeCharacters(TextNormalizer.kerasFilters, replacement: " ")
    case "numbers": return .numbers(.replace(with: "<num>"))
    case "html": return .stripHTML
    case "entities": return .decodeHTMLEntities
    case "urls": return .replaceURLs(with: "<url>")
    case "emails": return .replaceEmails(with: "<email>")
    case "mentions": return .replaceMentions(with: "<user>")
    case "hashtags": return .replaceHashtags(with: "<hashtag>")
    case "emoji": return .emoji(.remove)
    case "emoji-names": return .emoji(.replaceWithName)
    case "collapse-whitespace": return .collapseWhitespace
    default: throw ValidationError("unknown normalization step '\(name)'")
    }
  }
}

/// Buffered standard output, one item per line.
final class LineWriter {
  var buffer: [UInt8] = []
  /// A FILE on descriptor 1 (the C `stdout` global is not concurrency-safe in Swift 6).
  let file = fdopen(1, "wb")!
  init() { buffer.reserveCapacity(1 << 16) }
  func write(_ s: String) {
    buffer.append(contentsOf: s.utf8)
    buffer.append(0x0A)
    if buffer.count >= 1 << 16 { flush() }
  }
  func flush() {
    buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    buffer.removeAll(keepingCapacity: true)
    fflush(file)
  }
  deinit { flush() }
}

func eachLine(_ path: String, _ body: (String, LineWriter) throws -> Void) throws {
  let reader = try LineReader(path: path)
  let out = LineWriter()
  while let line = try reader.next() { try body(line, out) }
  out.flush()
  if reader.invalidUTF8Count > 0, let first = reader.invalidUTF8.first {
    FileHandle.standardError.write(
      Data(
        ("warning: \(reader.name): \(reader.invalidUTF8Count) line(s) with invalid UTF-8 replaced "
          + "by U+FFFD; first at line \(first.line), byte offset \(first.byteOffset)\n").utf8))
  }
}
