// placeholder: parse implementation in progress
