// RecurrentClassic: Naive Bayes, NB-SVM, linear SVM and logistic regression on sparse features.
//
// Every model is a value fitted in its initializer from a `SparseMatrix` `[N, D]` and `[N]`
// labels of any sortable type (classes ascending, as scikit-learn's `classes_`), and scores
// through one linear form (`LinearScorer`), which gives `predict`, `decisionFunction` and
// `explain` to all of them (`LinearClassifier`). `crossValidate` measures any of them with seeded
// or given folds.
//
// Intentional differences from scikit-learn (agreement is tested on predictions, see
// Tests/RecurrentClassicTests and Tools/make_classic_fixtures.py):
// - LinearSVM (LinearSVC, dual=True): the same liblinear dual coordinate descent and stopping
//   rule, but the visiting order is shuffled with our seeded SplitMix64 instead of C `rand`, so
//   solutions agree to the tolerance, not bit for bit. Only the dual solver exists (sklearn's
//   `dual="auto"` picks the primal when N > D); class weights and L1 penalties are not provided.
// - LogisticRegression (solver="lbfgs"): our L-BFGS uses a backtracking Armijo line search
//   where scipy's L-BFGS-B uses Moré–Thuente; the objective, scaling and stopping tests
//   (gtol = tolerance, ftol = 64 ε) are scikit-learn's, so the optimum is the same but the
//   iteration count differs. With more than two classes the softmax intercepts are defined up
//   to a common shift (unregularized), as in scikit-learn.
// - NBSVM has no scikit-learn class: it follows Wang & Manning (2012) with the SVM above; the
//   intercept is not interpolated (the paper interpolates `w` only).
