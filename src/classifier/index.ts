export {
  CLASSIFIER_VERSION,
  MODEL_FILE,
  PARAM_GRID,
  SHIPPED_MODEL_PATH,
  VALIDATION_FOLDS,
  classifyText,
  decideScam,
  loadScamClassifier,
  saveScamClassifier,
  shippedScamClassifier,
  trainScamClassifier,
  type Classification,
  type NaiveBayesParams,
  type ScamDecision,
  type SourceChoice,
  type ScamClassifierModel,
} from './classifier.js';
export { loadLabelledRows, type LabelledRow } from './dataset.js';
export {
  evaluateScamClassifier,
  SCORERS,
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
