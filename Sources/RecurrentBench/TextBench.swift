import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench text`: text-pipeline throughput on lm-gutenberg's training file.
///
///     swift run -c release recurrent-bench text --json
///     swift run -c release recurrent-bench text --case gunzip --json
///     swift run -c release recurrent-bench text --case pipeline --max-lines 3000 --json
///
/// `pipeline` = per line: NFC, lowercase, whitespace collapse, Treebank (NLTK word_tokenize)
/// tokens, Porter (NLTK mode) stems — the pipeline of Tools/bench_text_nltk.py, whose checksum
/// of the output must equal ours. MB/s counts decompressed input bytes; the file is read and
/// decompressed before timing, as in the Python script.
struct TextBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text", abstract: "gzip, line reading and text preprocessing throughput (MB/s).")

  @Option(help: "Input file (plain or .gz).")
  var input = "../shared/data/lm-gutenberg/train.txt.gz"

  @Option(name: .customLong("case"), help: "gunzip, lines, pipeline, or all.")
  var benchCase = "all"

  @Option(help: "Process only the first N lines in the pipeline case (0 = all).")
  var maxLines = 0

  @Option(help: "Worker threads for the pipeline case (output order is fixed).")
  var threads = 2

  @Flag(help: "Do not memoize stems (each token stemmed from scratch, as NLTK does).")
  var noStemCache = false

  @Option(help: "Repetitions; the median is reported.")
  var repeats = 3

  @Flag(help: "Print one JSON line per case.")
  var json = false

  func run() throws {
    let cases = benchCase == "all" ? ["gunzip", "lines", "pipeline"] : [benchCase]
    for name in cases {
      var times: [Double] = []
      var bytes = 0
      var items = 0
      var extra = ""
      let lines = name == "pipeline" ? try readLines() : []
      for _ in 0..<max(1, repeats) {
        let start = DispatchTime.now().uptimeNanoseconds
        if name == "pipeline" {
          let r = pipeline(lines)
          (bytes, items) = (r.bytes, r.tokens)
          extra =
            ",\"lines\":\(lines.count),\"threads\":\(threads),\"stem_cache\":\(!noStemCache),"
            + "\"checksum\":\"\(hex64(r.checksum))\""
        } else {
          (bytes, items) = try runCase(name)
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
      times.sort()
      let median = times[times.count / 2]
      let mbps = Double(bytes) / 1e6 / median
      if json {
        print(
          "{\"bench\":\"text\",\"case\":\"\(name)\",\"input\":\"\(input)\",\"bytes\":\(bytes),"
            + "\"items\":\(items),\"seconds\":\(median),\"mb_per_s\":\(mbps)\(extra)}")
      } else {
        print("\(name): \(bytes) bytes, \(items) items, \(median) s, \(mbps) MB/s")
      }
    }
  }

  func readLines() throws -> [String] {
    let reader = try LineReader(path: input)
    var lines: [String] = []
    while let line = try reader.next() {
      lines.append(line)
      if maxLines > 0, lines.count >= maxLines { break }
    }
    return lines
  }

  /// Normalize + tokenize + stem every line; lines are cut into contiguous slices, one per
  /// thread, and the per-line results are folded in line order, so the checksum is independent
  /// of scheduling.
  func pipeline(_ lines: [String]) -> (bytes: Int, tokens: Int, checksum: UInt64) {
    let normalizer = TextNormalizer([.unicode(.nfc), .lowercase, .collapseWhitespace])
    let tokenizer = TreebankWordTokenizer()
    let stemmer = PorterStemmer()
    let workers = max(1, threads)
    let batch = 4096
    var bytes = 0
    var tokens = 0
    var checksum: UInt64 = 0
    let useCache = !noStemCache
    var next = 0
    // One cache per worker, kept across batches (no sharing, no locks).
    let caches = (0..<workers).map { _ in StemCache() }
    while next < lines.count {
      let start = next
      let end = min(lines.count, start + batch * workers)
      let results = LineResults(count: end - start)
      defer { results.slots.deallocate() }
      let chunk = (end - start + workers - 1) / workers
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        let cache = caches[w]
        let lo = start + w * chunk
        let hi = min(end, lo + chunk)
        guard lo < hi else { return }
        for i in lo..<hi {
          let line = normalizer(lines[i])
          var crc = CRC32()
          var count = 0
          var out: [UInt8] = []
          tokenizer.forEachToken(in: line) { token in
            if count > 0 { out.append(0x20) }
            let stem = useCache ? cache.stem(token, stemmer) : stemmer.stem(token)
            out.append(contentsOf: stem.utf8)
            count += 1
          }
          crc.update(out)
          results.slots[i - start] = (lines[i].utf8.count + 1, count, crc.value)
        }
      }
      for r in results.slots {
        bytes += r.0
        tokens += r.1
        checksum = checksum &* 1_000_003 &+ UInt64(r.2)
      }
      next = end
    }
    return (bytes, tokens, checksum)
  }

  /// Returns (decompressed bytes processed, items produced).
  func runCase(_ name: String) throws -> (Int, Int) {
    switch name {
    case "gunzip":
      let file = try FileByteSource(path: input)
      let source: any ByteSource =
        try file.peek(2) == [0x1F, 0x8B] ? GzipDecoder(source: file) : file
      var source2 = source
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      var total = 0
      while case let n = try buffer.withUnsafeMutableBytes({ try source2.read(into: $0) }), n > 0 {
        total += n
      }
      return (total, 0)
    case "lines":
      let reader = try LineReader(path: input)
      var total = 0
      var lines = 0
      while let line = try reader.next() {
        total += line.utf8.count + 1
        lines += 1
      }
      return (total, lines)
    default:
      throw ValidationError("unknown case \(name); use gunzip, lines or all")
    }
  }
}

/// Per-line results of one batch: each worker writes only its own slots.
struct LineResults: @unchecked Sendable {
  let slots: UnsafeMutableBufferPointer<(Int, Int, UInt32)>
  init(count: Int) { slots = .allocate(capacity: count) }
}

/// A memo of stems for one worker thread.
final class StemCache: @unchecked Sendable {
  var memo: [String: String] = [:]
  func stem(_ token: String, _ stemmer: PorterStemmer) -> String {
    if let s = memo[token] { return s }
    let s = stemmer.stem(token)
    memo[token] = s
    return s
  }
}

func hex64(_ v: UInt64) -> String {
  let s = String(v, radix: 16)
  return String(repeating: "0", count: 16 - s.count) + s
}
