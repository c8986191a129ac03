import Foundation
import RecurrentClassic
import RecurrentEmbeddings
import RecurrentLayers
import RecurrentTensor
import RecurrentText

/// One object holding a sentiment model's preprocessing, vocabulary and weights: train it on
/// labeled texts, evaluate it, predict labels with probabilities, explain linear models' choices,
/// and save or load it as one directory.
///
/// Any number of classes; labels are strings as the data file writes them, classes ascending.
///
/// ```swift
/// let train = try LabeledTexts(contentsOf: "Data/rt-polarity/train.tsv")
/// let model = try SentimentClassifier(training: train, kind: .nbsvm)
/// let report = try model.evaluate(try LabeledTexts(contentsOf: "Data/rt-polarity/test.tsv"))
/// print(report.accuracy)
/// print(try model.predict(["a gorgeous , witty film"])[0].label)
/// ```
public struct SentimentClassifier {
  /// The model family.
  public let kind: SentimentModelKind
  /// The classes, ascending (the order of probability columns).
  public let classes: [String]
  /// The settings it was trained with.
  public let options: SentimentOptions
  var engine: Engine

  /// The trained parts: a linear model over n-gram features, or a recurrent network over word ids.
  enum Engine {
    case linear(features: BagOfNGrams, model: StoredLinearModel, probabilities: ProbabilityForm)
    /// `models` holds one network, or ``SentimentOptions/ensemble`` of them (outputs averaged).
    case recurrent(words: WordSequences, models: [Sequential<Float>])
  }

  /// How a linear model's scores become probabilities.
  enum ProbabilityForm: String, Codable {
    /// Naive Bayes: the scores are joint log-likelihoods; a softmax gives the posteriors.
    case softmax
    /// Logistic regression: sigmoid of the one binary score, softmax of several.
    case logistic
    /// SVMs: no probabilities; the decision value is reported instead.
    case none
  }

  /// One prediction.
  public struct Prediction: Sendable, Equatable {
    /// The predicted class.
    public let label: String
    /// The probability of each class (in ``SentimentClassifier/classes`` order), or `nil` for
    /// the SVMs, which have none.
    public let probabilities: [Double]?
    /// The model's raw scores: probabilities for networks, decision values for linear models.
    public let scores: [Double]

    /// The predicted class's probability, when the model has probabilities.
    public var probability: Double? {
      probabilities.map { $0.max() ?? 0 }
    }
  }

  /// Trains a classifier of `kind` on `data`. Recurrent models stop early on `validation` when
  /// given (Keras's `validation_data`), else on the last `options.validationSplit` of `data`.
  /// - Throws: ``SentimentError`` for a single class, bad options or validation labels never seen
  ///   in training; vectorizer and model errors for degenerate data.
  public init(
    training data: LabeledTexts, kind: SentimentModelKind, options: SentimentOptions = .init(),
    validation: LabeledTexts? = nil
  ) throws {
    try options.validate()
    let classes = Array(Set(data.labels)).sorted()
    guard classes.count >= 2 else { throw SentimentError.singleClass(label: classes.first ?? "") }
    self.kind = kind
    self.classes = classes
    self.options = options
    if kind.isRecurrent {
      engine = try SentimentClassifier.trainRecurrent(data, kind, classes, options, validation)
    } else {
      engine = try SentimentClassifier.trainLinear(data, kind)
    }
  }

  init(kind: SentimentModelKind, classes: [String], options: SentimentOptions, engine: Engine) {
    self.kind = kind
    self.classes = classes
    self.options = options
    self.engine = engine
  }

  static func trainLinear(_ data: LabeledTexts, _ kind: SentimentModelKind) throws -> Engine {
    let binary = kind == .nb || kind == .nbsvm
    // Binary uni+bigrams for the Naive Bayes family (Wang & Manning 2012); plain TF-IDF for the
    // discriminative models (measured better than sublinear TF-IDF on rt-polarity, NOTES.md).
    let features = try BagOfNGrams(fitting: data.texts, weighting: binary ? .binary : .tfidf)
    let x = features.transform(data.texts)
    let y = data.labels
    let model: StoredLinearModel
    let form: ProbabilityForm
    switch kind {
    case .nb:
      model = StoredLinearModel(try MultinomialNaiveBayes(features: x, labels: y))
      form = .softmax
    case .nbsvm:
      // No bias term, as the authors' liblinear call (`-s 1`, default `-B -1`): 79.25% vs 78.85%
      // with scikit-learn's intercept on rt-polarity (mean of five fold draws, NOTES-sentiment.md).
      model = StoredLinearModel(try NBSVM(features: x, labels: y, fitIntercept: false))
      form = .none
    case .svm:
      model = StoredLinearModel(try LinearSVM(features: x, labels: y))
      form = .none
    case .logreg:
      // C = 30: TF-IDF rows are unit length, so scikit-learn's C = 1 underfits them. Chosen on
      // rt-polarity's 10-fold CV (C = 1 / 10 / 30: 75.3 / 77.4 / 77.7%), so optimistic there.
      model = StoredLinearModel(try LogisticRegression(features: x, labels: y, cost: 30))
      form = .logistic
    case .lstm, .bilstm, .gru:
      preconditionFailure("recurrent kinds are trained by trainRecurrent")
    }
    return .linear(features: features, model: model, probabilities: form)
  }

  static func trainRecurrent(
    _ data: LabeledTexts, _ kind: SentimentModelKind, _ classes: [String],
    _ options: SentimentOptions, _ validation: LabeledTexts?
  ) throws -> Engine {
    let words = WordSequences(
      fitting: data.texts, vocabularySize: options.vocabularySize, maxLength: options.maxLength)
    let vectors = try options.pretrainedVectors.map { try WordVectors.load(path: $0) }
    let encoder = try options.pretrainedEncoder.map { path in
      try checkedEncoder(path: path, kind: kind, options: options, vectors: vectors)
    }
    var models: [Sequential<Float>] = []
    for member in 0..<options.ensemble {
      // Member k differs only by its seed (initialization, dropout, shuffling).
      var memberOptions = options
      memberOptions.seed = options.seed &+ UInt64(member)
      models.append(
        try trainNetwork(
          data, kind, classes, memberOptions, validation, words, vectors, encoder: encoder))
    }
    return .recurrent(words: words, models: models)
  }

  /// One network of a recurrent model: built, compiled and fitted with `options.seed`.
  static func trainNetwork(
    _ data: LabeledTexts, _ kind: SentimentModelKind, _ classes: [String],
    _ options: SentimentOptions, _ validation: LabeledTexts?, _ words: WordSequences,
    _ vectors: WordVectors?, encoder: LanguageModelEncoder? = nil
  ) throws -> Sequential<Float> {
    var rng = RandomGenerator(seed: options.seed)
    let embedding: any Layer<Float>
    if let vectors {
      var index: [String: Int] = [:]
      for (k, word) in words.words.enumerated() { index[word] = k + 2 }
      let rows = vectors.embeddingMatrix(
        wordIndex: index, missing: .random(scale: 0.05, seed: options.seed))
      var scalars = rows.flatMap { $0 }
      // Rows past the last word (none unless the vocabulary is empty) stay zero.
      scalars += [Float](
        repeating: 0, count: words.vocabularySize * vectors.dimension - scalars.count)
      let table = Tensor(shape: [words.vocabularySize, vectors.dimension], scalars: scalars)
      if options.embeddingChannels != .single || options.embeddingL2SP > 0 {
        embedding = PretrainedEmbedding(
          weights: table, channels: options.embeddingChannels, l2sp: options.embeddingL2SP)
      } else {
        embedding = Embedding(weights: table, maskZero: true, trainable: !options.freezeEmbeddings)
      }
    } else {
      embedding = Embedding(
        inputDim: words.vocabularySize, outputDim: options.embeddingDim, maskZero: true)
    }
    var layers: [any Layer<Float>] = []
    if options.wordDropout > 0 { layers.append(WordDropout<Float>(rate: options.wordDropout)) }
    layers.append(embedding)
    if options.embeddingDropout > 0 {
      layers.append(SpatialDropout1D<Float>(rate: options.embeddingDropout))
    }
    // Pooling reads every step's output; the last state needs only the final one.
    let sequences = options.pooling != .last
    let units = options.hiddenUnits
    let recurrentDropout = options.recurrentDropout
    switch kind {
    case .lstm:
      layers.append(
        LSTM<Float>(
          units: units, returnSequences: sequences, recurrentDropout: recurrentDropout))
    case .bilstm:
      layers.append(
        Bidirectional(
          LSTM<Float>(
            units: units, returnSequences: sequences, recurrentDropout: recurrentDropout)))
    case .gru:
      layers.append(
        GRU<Float>(units: units, returnSequences: sequences, recurrentDropout: recurrentDropout))
    case .nb, .nbsvm, .svm, .logreg: preconditionFailure("linear kinds are trained by trainLinear")
    }
    switch options.pooling {
    case .last: break
    case .max: layers.append(MaskedGlobalPooling<Float>(mode: .max))
    case .mean: layers.append(MaskedGlobalPooling<Float>(mode: .mean))
    case .maxMean: layers.append(MaskedGlobalPooling<Float>(mode: .maxMean))
    }
    if options.dropout > 0 { layers.append(Dropout<Float>(rate: options.dropout)) }
    let binary = classes.count == 2
    layers.append(
      Dense<Float>(units: binary ? 1 : classes.count, activation: binary ? .sigmoid : .softmax))
    var model = Sequential<Float>(layers, inputShape: [options.maxLength], name: "sentiment")
    try model.build(inputShape: [options.maxLength], generator: &rng)
    if let encoder {
      // The recurrent layer's parameters: the forward direction's four tensors (PyTorch names,
      // `weight_ih_l0` first), then for a BiLSTM the backward direction's.
      guard
        let index = model.layers.firstIndex(where: { $0.parameterNames.first == "weight_ih_l0" })
      else { preconditionFailure("a recurrent sentiment model has a recurrent layer") }
      let tensors = encoder.forward.tensors + (kind == .bilstm ? encoder.backward.tensors : [])
      let offset = model.layers[..<index].reduce(0) { $0 + $1.parameters.count }
      var weights = model.weights
      weights.replaceSubrange(offset..<(offset + tensors.count), with: tensors)
      model.weights = weights
    }
    if binary {
      model.compile(
        optimizer: .adam(learningRate: .constant(options.learningRate)),
        loss: .binaryCrossentropy(),
        metrics: [.accuracy])
    } else {
      model.compile(
        optimizer: .adam(learningRate: .constant(options.learningRate)),
        loss: .sparseCategoricalCrossentropy(), metrics: [.accuracy])
    }
    if options.embeddingLearningRateMultiplier != 1 && embedding.isTrainable {
      // The embedding is the first layer with parameters, so its table is the optimizer's
      // parameter 0 (a frozen table is not passed to the optimizer at all).
      model.optimizer?.learningRateMultipliers = [options.embeddingLearningRateMultiplier]
    }
    var x = Tensor<Float>(idRows: words.transform(data.texts), width: options.maxLength)
    var y = try labelTensor(data.labels, classes: classes)
    var validationData = try validation.map {
      (
        x: Tensor<Float>(idRows: words.transform($0.texts), width: options.maxLength),
        y: try labelTensor($0.labels, classes: classes)
      )
    }
    if options.weightAveraging > 0 || options.checksPerEpoch > 1 {
      // The callback checks the validation set itself (several times per epoch, possibly on
      // averaged weights), so `fit` gets none.
      if validationData == nil && options.validationSplit > 0 {
        // Keras's split: the last `validationSplit` of the rows, taken before shuffling.
        let n = data.count
        let splitAt = Int((Double(n) * (1 - options.validationSplit)).rounded(.down))
        guard splitAt > 0, splitAt < n else {
          throw SentimentError.invalidParameter(
            name: "validationSplit", value: "\(options.validationSplit)",
            expected: "a fraction that leaves both parts of the \(n) texts non-empty")
        }
        validationData = (x: leadingRows(x, splitAt..<n), y: leadingRows(y, splitAt..<n))
        x = leadingRows(x, 0..<splitAt)
        y = leadingRows(y, 0..<splitAt)
      }
      var callbacks: [any Callback] = []
      if let validationData {
        let steps = ((x.shape.first ?? 0) + options.batchSize - 1) / options.batchSize
        callbacks.append(
          AveragedEarlyStopping(
            validation: validationData,
            checkAfterBatches: AveragedEarlyStopping.evenCheckpoints(
              steps: steps, checks: options.checksPerEpoch),
            monitor: options.monitor, patience: options.patience * options.checksPerEpoch,
            decay: options.weightAveraging, verbose: options.verbose >= 2))
      }
      try model.fit(
        x: x, y: y, epochs: options.epochs, batchSize: options.batchSize, callbacks: callbacks,
        verbose: options.verbose, generator: &rng)
      return model
    }
    var callbacks: [any Callback] = []
    if validationData != nil || options.validationSplit > 0 {
      callbacks.append(
        EarlyStopping(
          monitor: options.monitor, patience: options.patience, restoreBestWeights: true))
    }
    try model.fit(
      x: x, y: y, epochs: options.epochs, batchSize: options.batchSize,
      validationSplit: validationData == nil ? options.validationSplit : 0,
      validationData: validationData, callbacks: callbacks, verbose: options.verbose,
      generator: &rng)
    return model
  }

  /// The encoder at `path`, checked against the model it will initialize.
  static func checkedEncoder(
    path: String, kind: SentimentModelKind, options: SentimentOptions, vectors: WordVectors?
  ) throws -> LanguageModelEncoder {
    guard kind == .lstm || kind == .bilstm else {
      throw SentimentError.invalidParameter(
        name: "pretrainedEncoder", value: "\(path) with model \(kind.rawValue)",
        expected: "used with lstm or bilstm (the encoder holds LSTMs)")
    }
    let encoder = try LanguageModelEncoder.load(path: path)
    guard let vectors, vectors.dimension == encoder.inputSize else {
      throw SentimentError.invalidParameter(
        name: "pretrainedEncoder", value: "\(path) (reads \(encoder.inputSize)-d vectors)",
        expected: "used with the vectors it was pretrained over (--vectors, "
          + "\(encoder.inputSize) dimensions; received \(vectors?.dimension ?? 0))")
    }
    guard encoder.units == options.hiddenUnits else {
      throw SentimentError.invalidParameter(
        name: "pretrainedEncoder", value: "\(path) (\(encoder.units) units)",
        expected: "used with as many hidden units (--hidden \(encoder.units); received "
          + "\(options.hiddenUnits))")
    }
    return encoder
  }

  /// Rows `range` of a tensor `[N, ...]` (its first axis).
  static func leadingRows(_ t: Tensor<Float>, _ range: Range<Int>) -> Tensor<Float> {
    let width = t.count / max(t.shape[0], 1)
    return Tensor(
      shape: [range.count] + t.shape.dropFirst(),
      scalars: Array(t.scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
  }

  /// `[N, 1]` 0/1 targets for two classes, `[N]` class ids otherwise.
  static func labelTensor(_ labels: [String], classes: [String]) throws -> Tensor<Float> {
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    let ids = try labels.map { label -> Float in
      guard let i = index[label] else {
        throw SentimentError.unknownLabel(label: label, known: classes)
      }
      return Float(i)
    }
    return Tensor(shape: classes.count == 2 ? [ids.count, 1] : [ids.count], scalars: ids)
  }

  /// Predicts the class of each text, with probabilities where the model has them.
  public func predict(_ texts: [String]) throws -> [Prediction] {
    switch engine {
    case let .linear(features, model, form):
      let scores = try model.decisionFunction(features.transform(texts))
      return scores.map { row in
        let probabilities = SentimentClassifier.probabilities(row, form: form)
        let best: Int
        if row.count == 1 {
          best = row[0] > 0 ? 1 : 0
        } else {
          best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0
        }
        return Prediction(label: classes[best], probabilities: probabilities, scores: row)
      }
    case let .recurrent(words, models):
      let x = Tensor<Float>(idRows: words.transform(texts), width: words.maxLength)
      // The members' outputs (probabilities) averaged.
      var mean: [Double] = []
      for model in models {
        var network = model
        let output = try network.predict(x, batchSize: 256).scalars.map(Double.init)
        mean = mean.isEmpty ? output : zip(mean, output).map { $0 + $1 }
      }
      mean = mean.map { $0 / Double(models.count) }
      let width = mean.count / max(texts.count, 1)
      return (0..<texts.count).map { i in
        let row = Array(mean[(i * width)..<((i + 1) * width)])
        let probabilities = row.count == 1 ? [1 - row[0], row[0]] : row
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        return Prediction(label: classes[best], probabilities: probabilities, scores: row)
      }
    }
  }

  static func probabilities(_ scores: [Double], form: ProbabilityForm) -> [Double]? {
    switch form {
    case .none:
      return nil
    case .logistic where scores.count == 1:
      let p = 1 / (1 + exp(-scores[0]))
      return [1 - p, p]
    case .softmax, .logistic:
      let top = scores.max() ?? 0
      let e = scores.map { exp($0 - top) }
      let total = e.reduce(0, +)
      return e.map { $0 / total }
    }
  }

  /// Accuracy, precision, recall, F1 and the confusion matrix on labeled texts.
  /// - Throws: ``SentimentError/unknownLabel(label:known:)`` for a label never seen in training.
  public func evaluate(_ data: LabeledTexts) throws -> ClassificationReport {
    let known = Set(classes)
    if let unknown = data.labels.first(where: { !known.contains($0) }) {
      throw SentimentError.unknownLabel(label: unknown, known: classes)
    }
    let predicted = try predict(data.texts).map(\.label)
    return ClassificationReport(truth: data.labels, predicted: predicted, classes: classes)
  }

  /// The n-grams that pushed a linear model's prediction for `text` the most (positive values
  /// towards the predicted class); `nil` for the recurrent models.
  public func explain(_ text: String, top: Int = 10) throws -> [(ngram: String, weight: Double)]? {
    guard case let .linear(features, model, _) = engine else { return nil }
    let why = try model.explain(features.transform([text]), row: 0, top: top)
    return why.contributions.map { (features.featureNames[$0.feature], $0.contribution) }
  }
}

/// A fitted linear model reduced to what predicting needs: classes and the scorer.
struct StoredLinearModel: LinearClassifier {
  let classes: [String]
  let scorer: LinearScorer

  init(classes: [String], scorer: LinearScorer) {
    self.classes = classes
    self.scorer = scorer
  }

  init<M: LinearClassifier>(_ model: M) where M.Label == String {
    self.init(classes: model.classes, scorer: model.scorer)
  }
}
