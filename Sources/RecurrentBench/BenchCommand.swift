import ArgumentParser
import Recurrent

/// `recurrent-bench`: benchmarks that print one JSON line per case, to compare against the
/// reference scripts in ../shared/anchors run on the same machine in the same session.
@main
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recurrent-bench",
    abstract: "Benchmarks; each case prints one JSON line.",
    subcommands: [
      TextBench.self,
      TfidfBench.self,
      GemmBench.self,
      RNNBench.self,
      FitBench.self,
    ])

  /// Entry point: keeps freed memory for reuse (training speed, see
  /// `KernelConfiguration.keepFreedMemoryForReuse`), then parses the command line.
  static func main() {
    KernelConfiguration.keepFreedMemoryForReuse()
    main(nil)
  }
}
