"""Which of ``d2l.torch`` 1.0.3's names d2lkit provides, and where in d2l every other one belongs.

``tests/test_parity.py`` checks both tables against the installed d2l, so they cannot drift.
"""
from __future__ import annotations

from .aliases import NAMES as ALIASES

# d2l's section of each class and function of sections 2.1-5.3 (plus the device and timing helpers
# that the course uses before d2l introduces them in 6.7 and 12.5).
SECTIONS = {
    "use_svg_display": "2.4", "set_figsize": "2.4", "set_axes": "2.4", "plot": "2.4",
    "add_to_class": "3.2", "HyperParameters": "3.2", "ProgressBoard": "3.2", "Module": "3.2",
    "DataModule": "3.2", "Trainer": "3.2", "SyntheticRegressionData": "3.3",
    "LinearRegressionScratch": "3.4", "SGD": "3.4", "LinearRegression": "3.5",
    "FashionMNIST": "4.2", "show_images": "4.2", "Classifier": "4.3", "SoftmaxRegression": "4.5",
    "cpu": "6.7", "gpu": "6.7", "num_gpus": "6.7", "try_gpu": "6.7", "try_all_gpus": "6.7",
    "Timer": "12.5", "Accumulator": "23.8",
}
COVERED = sorted(SECTIONS) + ALIASES + ["plt"]
EXTRAS = ["DivergenceWarning", "NotAnsweredYet", "WrongAnswer", "check_answer", "data_file"]  # d2lkit's own public names, not in d2l

CHAPTERS = {
    "5": "Multilayer Perceptrons (5.7 Predicting House Prices on Kaggle)",
    "6": "Builders' Guide", "7": "Convolutional Neural Networks", "8": "Modern Convolutional Neural Networks",
    "9": "Recurrent Neural Networks", "10": "Modern Recurrent Neural Networks",
    "11": "Attention Mechanisms and Transformers", "12": "Optimization Algorithms",
    "13": "Computational Performance", "14": "Computer Vision",
    "15": "Natural Language Processing: Pretraining", "16": "Natural Language Processing: Applications",
    "17": "Reinforcement Learning", "18": "Gaussian Processes", "19": "Hyperparameter Optimization",
    "20": "Generative Adversarial Networks", "23": "Appendix: Tools for Deep Learning (utility functions)",
}

# Every other public name of d2l.torch, by the d2l chapter that defines it.
LATER = {chapter: names.split() for chapter, names in {
    "5": "DATA_HUB DATA_URL download extract download_extract",
    "7": "corr2d init_cnn LeNet",
    "8": "Residual ResNeXtBlock",
    "9": "TimeMachine Vocab RNNScratch check_len check_shape RNNLMScratch RNN RNNLM",
    "10": "GRU MTFraEng show_list_len_pair_hist Encoder Decoder EncoderDecoder init_seq2seq Seq2SeqEncoder "
          "Seq2Seq bleu",
    "11": "show_heatmaps masked_softmax DotProductAttention AdditiveAttention AttentionDecoder "
          "MultiHeadAttention PositionalEncoding PositionWiseFFN AddNorm TransformerEncoderBlock "
          "TransformerEncoder",
    "12": "annotate train_2d show_trace_2d get_data_ch11 train_ch11 train_concise_ch11",
    "13": "Benchmark split_batch resnet18",
    "14": "train_batch_ch13 train_ch13 box_corner_to_center box_center_to_corner bbox_to_rect multibox_prior "
          "show_bboxes box_iou assign_anchor_to_bbox offset_boxes multibox_target offset_inverse nms "
          "multibox_detection read_data_bananas BananasDataset load_data_bananas read_voc_images VOC_COLORMAP "
          "VOC_CLASSES voc_colormap2label voc_label_indices voc_rand_crop VOCSegDataset load_data_voc "
          "read_csv_labels copyfile reorg_train_valid reorg_test",
    "15": "read_ptb subsample get_centers_and_contexts RandomGenerator get_negatives batchify load_data_ptb "
          "TokenEmbedding get_tokens_and_segments BERTEncoder MaskLM NextSentencePred BERTModel load_data_wiki",
    "16": "read_imdb load_data_imdb predict_sentiment read_snli SNLIDataset load_data_snli predict_snli",
    "17": "frozen_lake make_env show_value_function_progress show_Q_function_progress",
    "18": "rbfkernel",
    "19": "HPOTrainer HPOSearcher RandomSearcher HPOScheduler BasicScheduler HPOTuner hpo_objective_lenet "
          "SuccessiveHalvingScheduler",
    "20": "update_D update_G",
    "23": "load_array synthetic_data sgd get_dataloader_workers load_data_fashion_mnist evaluate_accuracy_gpu "
          "train_ch6 linreg squared_loss get_fashion_mnist_labels Animator accuracy tokenize evaluate_loss "
          "grad_clipping read_data_nmt preprocess_nmt tokenize_nmt truncate_pad build_array_nmt load_data_nmt "
          "sequence_mask MaskedSoftmaxCELoss train_seq2seq predict_seq2seq",
}.items()}
CHAPTER_OF = {name: chapter for chapter, names in LATER.items() for name in names}


def not_covered(name: str) -> str | None:
    """Explain why ``name`` is missing if it belongs to a later d2l chapter; None for an unknown name."""
    chapter = CHAPTER_OF.get(name)
    if chapter is None:
        return None
    return (f"d2lkit has no {name!r}: it belongs to d2l's chapter {chapter}, {CHAPTERS[chapter]}. d2lkit covers "
            f"sections 2.1-5.3 only; for later chapters install d2l (pip install d2l==1.0.3) and use "
            f"'from d2l import torch as d2l'.")
