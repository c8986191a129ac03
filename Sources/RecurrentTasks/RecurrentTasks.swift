// RecurrentTasks: applications (sentiment, language modelling, tagging, translation, forecasting)
// assembled from the other modules. Holds no kernels of its own.
import RecurrentClassic
import RecurrentEmbeddings
import RecurrentLayers
import RecurrentText
