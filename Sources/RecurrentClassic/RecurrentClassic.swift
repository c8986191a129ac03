// RecurrentClassic: Naive Bayes, NB-SVM, linear SVM and logistic regression on sparse features.
import RecurrentText
