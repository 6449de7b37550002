export {
  CLASSIFIER_VERSION,
  MODEL_FILE,
  classifyText,
  loadScamClassifier,
  saveScamClassifier,
  trainScamClassifier,
  type Classification,
  type ScamClassifierModel,
} from './classifier.js';
export { loadLabelledRows, type LabelledRow } from './dataset.js';
export {
  evaluateScamClassifier,
  formatEvaluation,
  scores,
  type ClassScores,
  type Evaluation,
} from './evaluate.js';
export {
  predictNaiveBayes,
  textFeatures,
  trainNaiveBayes,
  type NaiveBayesModel,
} from './naive-bayes.js';
