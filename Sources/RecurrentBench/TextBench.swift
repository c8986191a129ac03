import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench text`: text-pipeline throughput on lm-gutenberg's training file.
///
///     swift run -c release recurrent-bench text --json
///     swift run -c release recurrent-bench text --case gunzip --json
struct TextBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text", abstract: "gzip, line reading and text preprocessing throughput (MB/s).")

  @Option(help: "Input file (plain or .gz).")
  var input = "../shared/data/lm-gutenberg/train.txt.gz"

  @Option(name: .customLong("case"), help: "gunzip, lines, or all.")
  var benchCase = "all"

  @Option(help: "Repetitions; the median is reported.")
  var repeats = 3

  @Flag(help: "Print one JSON line per case.")
  var json = false

  func run() throws {
    let cases = benchCase == "all" ? ["gunzip", "lines"] : [benchCase]
    for name in cases {
      var times: [Double] = []
      var bytes = 0
      var items = 0
      for _ in 0..<max(1, repeats) {
        let start = DispatchTime.now().uptimeNanoseconds
        (bytes, items) = try runCase(name)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
      times.sort()
      let median = times[times.count / 2]
      let mbps = Double(bytes) / 1e6 / median
      if json {
        print(
          "{\"bench\":\"text\",\"case\":\"\(name)\",\"input\":\"\(input)\",\"bytes\":\(bytes),"
            + "\"items\":\(items),\"seconds\":\(median),\"mb_per_s\":\(mbps)}")
      } else {
        print("\(name): \(bytes) bytes, \(items) items, \(median) s, \(mbps) MB/s")
      }
    }
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
