// The umbrella module: `import Recurrent` brings in every part of the toolkit.
@_exported import RecurrentClassic
@_exported import RecurrentEmbeddings
@_exported import RecurrentLayers
@_exported import RecurrentTasks
@_exported import RecurrentTensor
@_exported import RecurrentText
