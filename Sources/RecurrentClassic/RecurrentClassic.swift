// RecurrentClassic: Naive Bayes, NB-SVM, linear SVM and logistic regression on sparse features.
//
// Every model is a value fitted in its initializer from a `SparseMatrix` `[N, D]` and `[N]`
// labels of any sortable type, and scores through one linear form (`LinearScorer`), which gives
// `predict`, `decisionFunction` and `explain` to all of them (`LinearClassifier`).
// `crossValidate` measures any of them with seeded or given folds.
