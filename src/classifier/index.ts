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
export { COFACTS_CATEGORIES, readCofactsLabel, type CofactsReading } from './cofacts-labels.js';
export { SCAM_TYPE_KEYWORDS, classifyScamType, type ScamTypeResult } from './scam-type.js';
