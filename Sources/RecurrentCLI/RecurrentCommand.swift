import ArgumentParser
import Recurrent

/// `recurrent`: the command line for every capability, one subcommand each.
@main
struct RecurrentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recurrent",
    abstract: "Deep learning on sequences — text and time series — on a plain CPU.",
    subcommands: [
      DemoCommand.self,
      SentimentCommand.self,
      TextCommand.self,
      EmbeddingsCommand.self,
      ExampleCommand.self,
    ])

  /// Entry point: keeps freed memory for reuse (training speed, see
  /// `KernelConfiguration.keepFreedMemoryForReuse`), then parses the command line.
  static func main() {
    KernelConfiguration.keepFreedMemoryForReuse()
    main(nil)
  }

}
