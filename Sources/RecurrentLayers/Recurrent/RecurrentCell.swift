// The contract between one recurrent step (a cell) and the generic sequence loop
// (`RecurrentLayer`). The loop owns masking, direction, dropout masks, the stored states and the
// big matrix products over all time steps; a cell owns only the math of one step, forward and
// backward, on raw buffers of one time step for the whole batch.
import RecurrentTensor

/// The four parameter tensors of a recurrent cell, named and laid out exactly as PyTorch's
/// `nn.RNN` / `nn.LSTM` / `nn.GRU` (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
/// `bias_hh_l0`), so state dicts load without any transposition.
///
/// With `G` gates (SimpleRNN 1, GRU 3, LSTM 4), `H` hidden units and `D` input features:
/// `weightIH` is `[G·H, D]`, `weightHH` is `[G·H, H]`, `biasIH` and `biasHH` are `[G·H]`; gate
/// `k` occupies rows `k·H ..< (k+1)·H`. Gradients use the same type.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let lstm = LSTM<Float>(inputSize: 8, hiddenSize: 16, generator: &rng)
/// lstm.cell.weights.weightIH.shape  // [64, 8]
/// ```
public struct RecurrentWeights<Scalar: TensorScalar>: Sendable {
  /// Input-to-hidden weights `[G·H, D]` (PyTorch `weight_ih`).
  public var weightIH: Tensor<Scalar>
  /// Hidden-to-hidden weights `[G·H, H]` (PyTorch `weight_hh`).
  public var weightHH: Tensor<Scalar> {
    // Any change (assignment or in-place edit) drops the packed copies made from the old values;
    // a fresh cache rather than clearing this one, which other copies of the weights may share.
    didSet { packedHidden = PackedHiddenWeights() }
  }
  /// Input-side bias `[G·H]` (PyTorch `bias_ih`).
  public var biasIH: Tensor<Scalar>
  /// Hidden-side bias `[G·H]` (PyTorch `bias_hh`).
  public var biasHH: Tensor<Scalar>
  /// `weightHH` packed for the Float step kernel, made on first use (see PackedHiddenWeights.swift).
  var packedHidden = PackedHiddenWeights()

  /// Creates weights from the four tensors; shapes are checked by the cell that receives them.
  public init(
    weightIH: Tensor<Scalar>, weightHH: Tensor<Scalar>, biasIH: Tensor<Scalar>,
    biasHH: Tensor<Scalar>
  ) {
    self.weightIH = weightIH
    self.weightHH = weightHH
    self.biasIH = biasIH
    self.biasHH = biasHH
  }

  /// All-zero weights for `gates` gates of `hiddenSize` units over `inputSize` features (the
  /// shape of a gradient accumulator).
  public init(zerosGates gates: Int, inputSize: Int, hiddenSize: Int) {
    let gh = gates * hiddenSize
    self.init(
      weightIH: Tensor(zeros: [gh, inputSize]), weightHH: Tensor(zeros: [gh, hiddenSize]),
      biasIH: Tensor(zeros: [gh]), biasHH: Tensor(zeros: [gh]))
  }

  /// PyTorch's default initialisation: every entry uniform in `[-1/√H, 1/√H)`, drawn in the
  /// order weightIH, weightHH, biasIH, biasHH (row-major) from `generator`.
  public init(
    pytorchUniformGates gates: Int, inputSize: Int, hiddenSize: Int,
    generator: inout some RandomNumberGenerator
  ) {
    let bound = 1 / Double(hiddenSize).squareRoot()
    func draw(_ shape: [Int]) -> Tensor<Scalar> {
      let n = shape.reduce(1, *)
      var values = [Scalar](repeating: 0, count: n)
      for i in 0..<n {
        values[i] = Scalar(Double.random(in: -bound..<bound, using: &generator))
      }
      return Tensor(shape: shape, scalars: values)
    }
    let gh = gates * hiddenSize
    self.init(
      weightIH: draw([gh, inputSize]), weightHH: draw([gh, hiddenSize]), biasIH: draw([gh]),
      biasHH: draw([gh]))
  }

  /// Checks the four shapes against `gates`, `inputSize`, `hiddenSize`; the message names the
  /// tensor, what was expected and what was received.
  public func validate(gates: Int, inputSize: Int, hiddenSize: Int) throws {
    let gh = gates * hiddenSize
    let expected: [(String, [Int], [Int])] = [
      ("weightIH", [gh, inputSize], weightIH.shape),
      ("weightHH", [gh, hiddenSize], weightHH.shape),
      ("biasIH", [gh], biasIH.shape), ("biasHH", [gh], biasHH.shape),
    ]
    for (name, want, got) in expected where want != got {
      throw RecurrentError.weightShape(name: name, expected: want, received: got)
    }
  }
}

/// Errors from recurrent layers when the problem comes from data (shapes, lengths, masks, state
/// dicts). Each message says what was received and what would fix it.
public enum RecurrentError: Error, CustomStringConvertible, Equatable {
  /// A weight tensor has the wrong shape.
  case weightShape(name: String, expected: [Int], received: [Int])
  /// The input is not `[B, T, D]` with the layer's `D`.
  case inputShape(expected: String, received: [Int])
  /// An initial state has the wrong count or shape.
  case initialState(String)
  /// A length is negative or longer than the sequence, or the lengths/mask do not fit the batch.
  case lengths(String)
  /// A state dict is missing a key or has an unexpected one.
  case stateDict(String)
  /// An option is out of range (dropout probability, sizes).
  case option(String)

  public var description: String {
    switch self {
    case let .weightShape(name, expected, received):
      return "\(name) must have shape \(expected), received \(received)"
    case let .inputShape(expected, received):
      return "input must have shape \(expected), received \(received)"
    case let .initialState(message), let .lengths(message), let .stateDict(message),
      let .option(message):
      return message
    }
  }
}

/// The buffers of one forward time step, for the whole batch. All are row-major with `B` rows;
/// `H` hidden units, `G` gates. The loop guarantees none of them alias unless stated.
public struct CellForwardStep<Scalar: TensorScalar> {
  /// Rows in this step (`B`).
  public var batch: Int
  /// `[B, G·H]`. On entry: the input projection `x·W_ihᵀ + b` for this step (with the bias the
  /// cell asked for in ``RecurrentCell/projectionBias()``). On exit: whatever the cell's
  /// backward step needs (usually the activated gates). Kept for backward.
  public var gates: UnsafeMutablePointer<Scalar>
  /// `[B, H]`: `h_{t-1}` as it enters the hidden product, after recurrent dropout. Equal to
  /// `hidden` when there is no recurrent dropout.
  public var hiddenIn: UnsafePointer<Scalar>
  /// `[B, H]`: `h_{t-1}` (not dropped).
  public var hidden: UnsafePointer<Scalar>
  /// `[B, H]`: `c_{t-1}` for cells with a second state (LSTM), else `nil`.
  public var cell: UnsafePointer<Scalar>?
  /// `[B, H]` out: `h_t`.
  public var nextHidden: UnsafeMutablePointer<Scalar>
  /// `[B, H]` out: `c_t` (LSTM), else `nil`.
  public var nextCell: UnsafeMutablePointer<Scalar>?
  /// `[B, cacheWidth]`: per-step storage kept for backward (see ``RecurrentCell/cacheWidth``).
  public var cache: UnsafeMutablePointer<Scalar>
  /// `[B, G·H]` scratch, not kept.
  public var scratch: UnsafeMutablePointer<Scalar>
  /// `W_hhᵀ` `[H, G·H]` packed for the Float step kernel (`rnn_step_pack_f32`), made once per
  /// weight version; `nil` when the fast kernels do not run (Double, or kernels disabled).
  public var packedWeightHHTransposed: UnsafePointer<Scalar>? = nil
}

/// The buffers of one backward time step. Pointers named like ``CellForwardStep`` hold what the
/// forward step left there.
public struct CellBackwardStep<Scalar: TensorScalar> {
  /// Rows in this step (`B`).
  public var batch: Int
  /// `[B, G·H]`: the forward step's `gates` on exit.
  public var gates: UnsafePointer<Scalar>
  /// `[B, cacheWidth]`: the forward step's cache.
  public var cache: UnsafePointer<Scalar>
  /// `[B, H]`: `h_{t-1}` after recurrent dropout.
  public var hiddenIn: UnsafePointer<Scalar>
  /// `[B, H]`: `h_{t-1}`.
  public var hidden: UnsafePointer<Scalar>
  /// `[B, H]`: `c_{t-1}` (LSTM) else `nil`.
  public var cell: UnsafePointer<Scalar>?
  /// `[B, H]`: `h_t`.
  public var nextHidden: UnsafePointer<Scalar>
  /// `[B, H]`: `c_t` (LSTM) else `nil`.
  public var nextCell: UnsafePointer<Scalar>?
  /// `[B, H]` in: `∂L/∂h_t` (all paths). The cell may overwrite it.
  public var gradNextHidden: UnsafeMutablePointer<Scalar>
  /// `[B, H]` in: `∂L/∂c_t` (LSTM) else `nil`. The cell may overwrite it.
  public var gradNextCell: UnsafeMutablePointer<Scalar>?
  /// `[B, H]` out (overwrite): `∂L/∂h_{t-1}` through the direct paths; when `gradHiddenIn` is
  /// `nil` (no recurrent dropout) also through the hidden product.
  public var gradHidden: UnsafeMutablePointer<Scalar>
  /// `[B, H]` out (overwrite): `∂L/∂c_{t-1}` (LSTM) else `nil`.
  public var gradCell: UnsafeMutablePointer<Scalar>?
  /// `[B, H]` out (overwrite) when recurrent dropout is on: `∂L/∂hiddenIn`; `nil` otherwise.
  public var gradHiddenIn: UnsafeMutablePointer<Scalar>?
  /// `[B, G·H]` out (overwrite): `∂L/∂` (input projection of this step).
  public var gradGatesInput: UnsafeMutablePointer<Scalar>
  /// `[B, G·H]` out (overwrite): `∂L/∂` (`hiddenIn·W_hhᵀ + b_hh`, gate by gate). Equal to
  /// `gradGatesInput` (same pointer) when ``RecurrentCell/hiddenGradientsEqualInputGradients``.
  public var gradGatesHidden: UnsafeMutablePointer<Scalar>
  /// `[B, G·H]` scratch.
  public var scratch: UnsafeMutablePointer<Scalar>
  /// `W_hh` `[G·H, H]` packed for the Float step kernel (the hidden-state gradient product),
  /// made once per weight version; `nil` when the fast kernels do not run.
  public var packedWeightHH: UnsafePointer<Scalar>? = nil
}

/// One step of a recurrent network: SimpleRNN, LSTM or GRU. A cell owns its weights and the math
/// of one time step forward and backward; ``RecurrentLayer`` runs it over a sequence.
///
/// Conform to add a new cell: declare the gate count and state count, say which bias is added to
/// the input projection, and write `forward` / `backward` for one step on the batch (see
/// ``CellForwardStep`` and ``CellBackwardStep`` for what each buffer holds).
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let cell = GRUCell<Double>(inputSize: 3, hiddenSize: 5, generator: &rng)
/// let layer = RecurrentLayer(cell: cell, returnSequences: true)
/// ```
public protocol RecurrentCell: Sendable {
  /// `Float` or `Double`.
  associatedtype Scalar: TensorScalar
  /// Number of gate blocks `G` (rows of `weightIH` are `G·H`).
  static var gateCount: Int { get }
  /// 1 (`h`) or 2 (`h`, `c`).
  static var stateCount: Int { get }
  /// `D`: features per time step.
  var inputSize: Int { get }
  /// `H`: hidden units.
  var hiddenSize: Int { get }
  /// The parameters, PyTorch layout.
  var weights: RecurrentWeights<Scalar> { get set }
  /// Keras' class name of the layer over this cell (`"LSTM"`), for summaries and configs.
  static var kerasClassName: String { get }
  /// The cell's own options as Keras config entries (`"units"`, `"activation"`, …).
  var config: [String: ConfigValue] { get }
  /// The same cell (hidden size and options) reading `inputSize` features, with fresh weights
  /// from `generator`: how a layer declared without its input size is built on first use.
  func resized(inputSize: Int, generator: inout some RandomNumberGenerator) -> Self
  /// Per-row width of the per-step cache the forward step fills for backward (0 if none).
  var cacheWidth: Int { get }
  /// True when `∂L/∂(hidden pre-activations)` equals `∂L/∂(input pre-activations)` gate by gate,
  /// so the loop keeps one gradient buffer instead of two.
  var hiddenGradientsEqualInputGradients: Bool { get }
  /// The `[G·H]` bias added to every row of the input projection before the loop (`b_ih` plus
  /// whatever part of `b_hh` the equations allow to be folded in).
  func projectionBias() -> [Scalar]
  /// One forward step for the batch.
  func forward(_ step: CellForwardStep<Scalar>)
  /// One backward step for the batch.
  func backward(_ step: CellBackwardStep<Scalar>)
  /// Adds `∂L/∂W_hh` and `∂L/∂b_hh` over all `rows` (time steps × batch) at once, from the hidden
  /// gate gradients `[rows, G·H]`, the `hiddenIn` rows `[rows, H]` and the caches
  /// `[rows, cacheWidth]`. The default is `dW_hh += dGᵀ·hiddenIn`, `db_hh += Σ dG`. `gradBiasHH`
  /// is `nil` when the caller copies `∂L/∂b_ih` instead (equal gate gradients: the same sums).
  func accumulateHiddenWeightGradients(
    rows: Int, gradGates: UnsafePointer<Scalar>, hiddenIn: UnsafePointer<Scalar>,
    cache: UnsafePointer<Scalar>, gradWeightHH: UnsafeMutablePointer<Scalar>,
    gradBiasHH: UnsafeMutablePointer<Scalar>?)
}

extension RecurrentCell {
  /// The width `G·H` of one row of gates.
  public var gateWidth: Int { Self.gateCount * hiddenSize }

  public func accumulateHiddenWeightGradients(
    rows: Int, gradGates: UnsafePointer<Scalar>, hiddenIn: UnsafePointer<Scalar>,
    cache: UnsafePointer<Scalar>, gradWeightHH: UnsafeMutablePointer<Scalar>,
    gradBiasHH: UnsafeMutablePointer<Scalar>?
  ) {
    let gh = gateWidth
    let h = hiddenSize
    guard rows > 0 else { return }
    Scalar.gemm(
      transposeA: true, transposeB: false, m: gh, n: h, k: rows, alpha: 1, a: gradGates, lda: gh,
      b: hiddenIn, ldb: h, beta: 1, c: gradWeightHH, ldc: h)
    if let gradBiasHH {
      RecurrentMath.addColumnSums(gradGates, rows: rows, columns: gh, into: gradBiasHH)
    }
  }
}
