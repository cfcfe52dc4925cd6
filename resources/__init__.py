"""Files DigitLab ships: icons, the pretrained model, translations."""
