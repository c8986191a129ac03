// The training options `recurrent embeddings train` and `recurrent sentiment vectors` share, and
// the word2vec / fastText configurations they make.
import ArgumentParser
import RecurrentEmbeddings

/// `--dim --window --negative --min-count --epochs --threads --seed --sample --alpha`.
struct EmbeddingTrainingOptions: ParsableArguments {
  @Option(help: "Vector size D.") var dim: Int = 100
  @Option(help: "Maximum context distance.") var window: Int = 5
  @Option(help: "Negative samples.") var negative: Int = 5
  @Option(help: "Minimum word count.") var minCount: Int = 5
  @Option(help: "Epochs.") var epochs: Int = 5
  @Option(help: "Threads (1 is deterministic).") var threads: Int = 1
  @Option(help: "Seed.") var seed: UInt64 = 1
  @Option(help: "Subsampling threshold (default 1e-3 word2vec, 1e-4 fastText).") var sample: Double?
  @Option(help: "Initial learning rate (default 0.025 word2vec, 0.05 fastText).") var alpha: Float?

  /// gensim's defaults with these options applied.
  func word2vec(_ architecture: Word2VecConfiguration.Architecture) -> Word2VecConfiguration {
    var config = Word2VecConfiguration()
    config.architecture = architecture
    config.vectorSize = dim
    config.window = window
    config.negative = negative
    config.minCount = minCount
    config.epochs = epochs
    config.threads = threads
    config.seed = seed
    if let sample { config.sample = sample }
    if let alpha { config.alpha = alpha }
    return config
  }

  /// fastText's unsupervised skip-gram defaults with these options applied.
  func fastText() -> FastTextConfiguration {
    var config = FastTextConfiguration()
    config.dimension = dim
    config.windowSize = window
    config.negative = negative
    config.minCount = minCount
    config.epochs = epochs
    config.threads = threads
    config.seed = seed
    if let sample { config.sample = sample }
    if let alpha { config.learningRate = alpha }
    return config
  }
}
