// RecurrentLayers: layers (Embedding, Dense, SimpleRNN, LSTM, GRU, Bidirectional, …), losses,
// optimizers, metrics, models and the Keras-style training loop. Knows no text and no task.
import RecurrentTensor
