<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>ActivationsTab</name>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Standard deviation of the 'tiny' starting weights</source>
            <translation>“很小”的初始权重的标准差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Number of hidden layers</source>
            <translation>隐藏层的层数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Units per hidden layer</source>
            <translation>每个隐藏层的单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Images in the batch the histograms are made from, and per training step</source>
            <translation>用来画直方图的那一批图像的数量，也是每个训练步的批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>SGD steps each network takes after the snapshot</source>
            <translation>快照之后每个网络走的 SGD 步数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>SGD learning rate for all four</source>
            <translation>四个网络共用的 SGD 学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Seed for the weights and the batches</source>
            <translation>权重和批次的随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Tiny weights' std</source>
            <translation>小权重的标准差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Hidden layers</source>
            <translation>隐藏层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Units per layer</source>
            <translation>每层单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Training steps</source>
            <translation>训练步数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>&lt;b&gt;Why deep networks once would not learn&lt;/b&gt;&lt;p&gt;The same deep network (five hidden layers of 100) is built four ways: sigmoid or ReLU units, starting weights tiny (std 0.01, as in the tutorials) or scaled to the layer's size (He: std √(2/inputs)).&lt;/p&gt;&lt;p&gt;The histograms show what each hidden layer outputs for a batch of digits. With sigmoid and tiny weights every unit says 0.5, whatever the digit. Learning needs the gradient to flow back to the first layer: the plot under the histograms shows its size at every layer on a log scale (numbers in the table). Where it shrinks tens of times per layer, the first layers cannot learn: the &lt;i&gt;vanishing gradient&lt;/i&gt;. The loss curves show who learns.&lt;/p&gt;</source>
            <translation>&lt;b&gt;深层网络为什么一度学不动&lt;/b&gt;&lt;p&gt;同一个深层网络（5 个隐藏层，每层 100 个单元）用四种方式构建：sigmoid 或 ReLU 单元，初始权重取很小的值（标准差 0.01，与教程相同）或按层的大小缩放（He 初始值：标准差 √(2/输入数)）。&lt;/p&gt;&lt;p&gt;直方图显示每个隐藏层对一批数字的输出。用 sigmoid 加很小的权重时，不管是哪个数字，每个单元都输出 0.5。学习需要梯度一直传回第一层：直方图下面的图以对数刻度画出梯度在每一层的大小（数值见表格）。如果每经过一层梯度就缩小几十倍，前面的层就学不到东西：这就是&lt;i&gt;梯度消失&lt;/i&gt;。损失曲线显示谁在学习。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>sigmoid, std 0.01</source>
            <translation>sigmoid，标准差 0.01</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>sigmoid, He</source>
            <translation>sigmoid，He 初始值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>ReLU, std 0.01</source>
            <translation>ReLU，标准差 0.01</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>ReLU, He</source>
            <translation>ReLU，He 初始值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>&lt;b&gt;Colours of the four networks&lt;/b&gt; (click one for its histograms):</source>
            <translation>&lt;b&gt;四个网络的颜色&lt;/b&gt;（点击一个查看它的直方图）：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Show this network's activation histograms</source>
            <translation>显示这个网络的激活值直方图</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Gradient norm per layer</source>
            <translation>各层的梯度范数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>layer (last = output)</source>
            <translation>层（最后一层 = 输出层）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>gradient norm (log scale)</source>
            <translation>梯度范数（对数刻度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Training loss</source>
            <translation>训练损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>step</source>
            <translation>步</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Gradient norm of each layer's weights for one batch, at the start</source>
            <translation>开始时，一批数据上各层权重的梯度范数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>hidden layer {0}</source>
            <translation>隐藏层 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>activation</source>
            <translation>激活值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>fraction</source>
            <translation>比例</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>layer {0}</source>
            <translation>第 {0} 层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>output</source>
            <translation>输出层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>layer {0}&lt;br&gt;mean {1:.2f}, sd {2:.3f}</source>
            <translation>第 {0} 层&lt;br&gt;均值 {1:.2f}，标准差 {2:.3f}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>{0}. First-layer gradient: {1:.1e} for sigmoid with std 0.01, {2:.1e} for ReLU with He ({3:,.0f}× larger).</source>
            <translation>{0}。第一层的梯度：sigmoid 加标准差 0.01 时为 {1:.1e}，ReLU 加 He 初始值时为 {2:.1e}（大 {3:,.0f} 倍）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/activations_tab.py" />
            <source>Final losses: {0}.</source>
            <translation>最终损失：{0}。</translation>
        </message>
    </context>
    <context>
        <name>ActivationsView</name>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>Every layer's output for this digit, one row per layer: dense units as strips, convolution feature maps as small images, coloured by value (red positive, blue negative, white zero), and the probabilities last. It follows your pen in the Draw tab. Hover a unit to see its value and the inputs that feed it most.</source>
            <translation>这个数字在每一层的输出，每层一行：全连接层的单元排成条带，卷积层的特征图显示为小图，按数值着色（红色为正，蓝色为负，白色为零），最后是各数字的概率。它跟随你在“绘制”标签页中的笔迹实时更新。把鼠标悬停在某个单元上，可以看到它的值以及对它贡献最大的输入。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>The unit under the mouse: its value and its largest contributions (input × weight)</source>
            <translation>鼠标下的单元：它的值及其最大的贡献（输入 × 权重）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>Layer {0}'s output; hover a unit</source>
            <translation>第 {0} 层的输出；把鼠标悬停在单元上</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>The softmax output: the probability of each digit</source>
            <translation>softmax 输出：每个数字的概率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>Layer {0}, {1}: {2:.4g}</source>
            <translation>第 {0} 层，{1}：{2:.4g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/activations_view.py" />
            <source>Fed by layer {0} ({1}): {2}</source>
            <translation>来自第 {0} 层（{1}）：{2}</translation>
        </message>
    </context>
    <context>
        <name>BackpropDiagram</name>
        <message>
            <location filename="../digitlab/gui/lab/backprop_diagram.py" />
            <source>input x</source>
            <translation>输入 x</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_diagram.py" />
            <source>hidden (sigmoid)</source>
            <translation>隐藏层（sigmoid）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_diagram.py" />
            <source>output (sigmoid)</source>
            <translation>输出层（sigmoid）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_diagram.py" />
            <source>output (softmax)</source>
            <translation>输出层（softmax）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_diagram.py" />
            <source>loss E</source>
            <translation>损失 E</translation>
        </message>
    </context>
    <context>
        <name>BackpropTab</name>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>&lt;b&gt;Backpropagation, step by step&lt;/b&gt;&lt;p&gt;A network of 4 inputs, 3 sigmoid hidden units and 2 outputs, and one sample. &lt;b&gt;Next&lt;/b&gt; computes one number: first every value of the forward pass up to the loss E, then every gradient of the backward pass, from the loss back to the first weights. Each number appears where it is computed, in the diagram and in the table with its formula.&lt;/p&gt;&lt;p&gt;Every gradient is checked against the numerical derivative: nudge that one number by ±10⁻⁵, run the rest of the network again and divide the change of E by the nudge. The two columns agree to about 10⁻¹⁰: the chain rule is right.&lt;/p&gt;</source>
            <translation>&lt;b&gt;一步一步看反向传播&lt;/b&gt;&lt;p&gt;一个 4 个输入、3 个 sigmoid 隐藏单元、2 个输出的网络，和一个样本。每按一次&lt;b&gt;下一步&lt;/b&gt;就算出一个数：先是前向传播直到损失 E 的每一个值，再是反向传播从损失一直回到第一层权重的每一个梯度。每个数都显示在它被计算的地方：图中，以及表格里连同它的公式。&lt;/p&gt;&lt;p&gt;每个梯度都和数值导数对照：把这一个数微调 ±10⁻⁵，重新算出网络其余部分，用 E 的变化除以微调量。两列数字相差约 10⁻¹⁰：链式法则是对的。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>sigmoid, squared error</source>
            <translation>sigmoid，平方误差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>softmax, cross-entropy</source>
            <translation>softmax，交叉熵</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>The output layer and the loss: sigmoid outputs with E = ½Σ(y−t)², or softmax outputs with E = −Σ t log y. With softmax and cross-entropy, δ2 = y − t: the two derivatives simplify each other</source>
            <translation>输出层与损失：sigmoid 输出配 E = ½Σ(y−t)²，或 softmax 输出配 E = −Σ t log y。softmax 与交叉熵一起时 δ2 = y − t：两个导数相互化简</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Seed for the weights, the inputs and the target</source>
            <translation>权重、输入和目标的随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Output and loss</source>
            <translation>输出与损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Back</source>
            <translation>上一步</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Undo the last step</source>
            <translation>撤销最后一步</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Next</source>
            <translation>下一步</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Compute the next number (shortcut: N)</source>
            <translation>计算下一个数（快捷键：N）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Back to the start: nothing computed yet</source>
            <translation>回到开头：还没有计算任何数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>New sample</source>
            <translation>新样本</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>New random weights, inputs and target (the next seed)</source>
            <translation>新的随机权重、输入和目标（下一个种子）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>The network with every number computed so far. Orange: the forward step just taken; blue: the backward step</source>
            <translation>网络以及到目前为止算出的每个数。橙色：刚走的前向一步；蓝色：反向一步</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Step</source>
            <translation>步骤</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Quantity</source>
            <translation>量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Formula</source>
            <translation>公式</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>With the numbers</source>
            <translation>代入数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Backprop</source>
            <translation>反向传播</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Numerical</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Relative error</source>
            <translation>相对误差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Every number so far. For a gradient, the backprop value and the numerical derivative side by side; green: they agree to better than 1e-7</source>
            <translation>到目前为止的每个数。对于梯度，反向传播的值与数值导数并排显示；绿色：两者相差小于 1e-7</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Press &lt;b&gt;Next&lt;/b&gt; to compute the first value of the forward pass.</source>
            <translation>按&lt;b&gt;下一步&lt;/b&gt;计算前向传播的第一个值。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>{0} values forward, then {1} gradients backward.</source>
            <translation>前向 {0} 个值，然后反向 {1} 个梯度。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>forward</source>
            <translation>前向</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>backward</source>
            <translation>反向</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>numerical: (E(+h) − E(−h)) / 2h = {0:.10f}; backprop {1:.10f}; relative error {2:.1e}</source>
            <translation>数值：(E(+h) − E(−h)) / 2h = {0:.10f}；反向传播 {1:.10f}；相对误差 {2:.1e}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/backprop_tab.py" />
            <source>Step {0} of {1} ({2}).</source>
            <translation>第 {0} 步，共 {1} 步（{2}）。</translation>
        </message>
    </context>
    <context>
        <name>BoundaryTab</name>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Number of hidden layers</source>
            <translation>隐藏层的层数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Hidden layers</source>
            <translation>隐藏层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>orange</source>
            <translation>橙色</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>blue</source>
            <translation>蓝色</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Left clicks add points of this class</source>
            <translation>左键点击添加这一类的点</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Left click adds</source>
            <translation>左键添加</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>XOR (four corners)</source>
            <translation>异或（四个角）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>ring around a disc</source>
            <translation>圆盘外套圆环</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>two moons</source>
            <translation>双月牙</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>A ready-made data set to start from</source>
            <translation>现成的数据集，可以从它开始</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Load example</source>
            <translation>载入示例</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Replace the points with this example</source>
            <translation>用这个示例替换现有的点</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Clear points</source>
            <translation>清除所有点</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Remove every point</source>
            <translation>删除所有的点</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Example</source>
            <translation>示例</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Units in each hidden layer</source>
            <translation>每个隐藏层的单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Activation of the hidden layers</source>
            <translation>隐藏层的激活函数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Adam learning rate</source>
            <translation>Adam 的学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Full passes over the points</source>
            <translation>把所有点完整过一遍的次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>slow motion</source>
            <translation>慢动作</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Pause briefly after each picture so the boundary can be watched forming (training itself takes under a second)</source>
            <translation>每画一帧后稍停片刻，以便观察边界如何形成（训练本身不到一秒）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Hidden units</source>
            <translation>隐藏单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Activation</source>
            <translation>激活函数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>&lt;b&gt;Drawing a decision boundary&lt;/b&gt;&lt;p&gt;Click to add points: the left button adds the selected class, the right button the other one. Press Start and a small network (two hidden layers) learns to tell the classes apart.&lt;/p&gt;&lt;p&gt;The background shows the probability it gives to the blue class at every spot, and the dark line is where it is 50/50: its &lt;i&gt;decision boundary&lt;/i&gt;. A straight line cannot separate XOR or a ring; the hidden layers bend it. Try relu against tanh, or one hidden unit against sixteen.&lt;/p&gt;</source>
            <translation>&lt;b&gt;画出决策边界&lt;/b&gt;&lt;p&gt;点击添加点：左键添加选中的类别，右键添加另一类。按“开始”，一个小网络（两个隐藏层）就会学习区分这两类。&lt;/p&gt;&lt;p&gt;背景显示网络在每个位置给蓝色类别的概率，深色线是概率各占一半的地方：也就是它的&lt;i&gt;决策边界&lt;/i&gt;。一条直线分不开异或或圆环，隐藏层能把它弯曲。试试 relu 和 tanh 的对比，或者 1 个隐藏单元和 16 个的对比。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Click to add points&lt;br&gt;background: P(blue)</source>
            <translation>点击添加点&lt;br&gt;背景：P(蓝色)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Loss on the points</source>
            <translation>这些点上的损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>epoch</source>
            <translation>轮</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Accuracy on the points</source>
            <translation>这些点上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>{0} orange and {1} blue points.</source>
            <translation>{0} 个橙色点，{1} 个蓝色点。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Epoch {0} of {1}: loss {2:.4f}, {3:.0%} of the points right</source>
            <translation>第 {0}/{1} 轮：损失 {2:.4f}，{3:.0%} 的点分类正确</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/boundary_tab.py" />
            <source>{0} after {1} epochs: loss {2:.4f}, {3:.0%} of the points right.</source>
            <translation>{0}，共 {1} 轮：损失 {2:.4f}，{3:.0%} 的点分类正确。</translation>
        </message>
    </context>
    <context>
        <name>ConfigStatus</name>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>{0} (modified)</source>
            <translation>{0}（已修改）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>Preset {0} with your changes.</source>
            <translation>预设 {0}，含你的修改。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>from file</source>
            <translation>来自文件</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The opened model ({0}) is {1} networks merged into one: these are the settings that trained the first of them, with the merged layers.</source>
            <translation>所打开的模型（{0}）由 {1} 个网络合并而成：这些是训练其中第一个网络的设置，层为合并后的层。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The settings that trained the opened model ({0}).</source>
            <translation>训练所打开模型（{0}）时的设置。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>custom</source>
            <translation>自定义</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>Your own configuration.</source>
            <translation>你自己的配置。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>layers</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>optimiser</source>
            <translation>优化器</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>schedule</source>
            <translation>学习率计划</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>augmentation</source>
            <translation>数据增强</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>run</source>
            <translation>运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>Start trains a new network with these settings.</source>
            <translation>“开始”会用这些设置训练一个新网络。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The layers differ from the current model's: Start trains a new network.</source>
            <translation>这些层与当前模型不同：“开始”会训练一个新网络。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The current model does not record its training settings. Start trains a new network; Continue trains the model with these settings.</source>
            <translation>当前模型没有记录它的训练设置。“开始”训练新网络；“继续”用这些设置训练该模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The next run differs from the current model's training ({0}). Start trains a new network; Continue trains the model with these settings.</source>
            <translation>下一次训练与当前模型的训练不同（{0}）。“开始”训练新网络；“继续”用这些设置训练该模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>The current model is {0} networks merged into one: Continue training trains the merged network further with these settings (a new run, as its own networks' runs are finished); Start trains a new network.</source>
            <translation>当前模型由 {0} 个网络合并而成：“继续训练”用这些设置继续训练合并后的网络（一次新的训练，因为各网络自己的训练已经结束）；“开始”训练新网络。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>These are the current model's own settings and its run was stopped: Continue training goes on exactly where it stopped; Start trains a new network.</source>
            <translation>这些就是当前模型自己的设置，它的训练被中途停止了：“继续训练”会精确地从停下的地方接着训练；“开始”训练新网络。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/config_status.py" />
            <source>These are the current model's own settings: Continue training trains it for more epochs (with the same batch order and random numbers it would have had); Start trains a new network.</source>
            <translation>这些就是当前模型自己的设置：“继续训练”会再训练更多轮（批次顺序和随机数与不间断训练时相同）；“开始”训练新网络。</translation>
        </message>
    </context>
    <context>
        <name>ConfusionMatrixView</name>
        <message>
            <location filename="../digitlab/gui/widgets/confusion_matrix.py" />
            <source>true digit</source>
            <translation>真实数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/confusion_matrix.py" />
            <source>predicted digit</source>
            <translation>预测数字</translation>
        </message>
    </context>
    <context>
        <name>CurvesPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Smoothed</source>
            <translation>平滑</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Train</source>
            <translation>训练集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Validation</source>
            <translation>验证集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Test</source>
            <translation>测试集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Loss of each reported training batch</source>
            <translation>每个上报的训练批次的损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Exponential moving average of the batch loss</source>
            <translation>批次损失的指数移动平均</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Loss and accuracy on the training data, per epoch. The training accuracy is a running average during the epoch, with dropout and augmentation on, so it can be below validation and test</source>
            <translation>每轮在训练数据上的损失和准确率。训练准确率是这一轮中的滑动平均，计算时开着 dropout 和数据增强，所以可能低于验证集和测试集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Loss and accuracy on the held-out validation data, per epoch</source>
            <translation>每轮在留出的验证数据上的损失和准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Accuracy on the MNIST test set, per epoch</source>
            <translation>每轮在 MNIST 测试集上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source> (clicking its legend entry also toggles it)</source>
            <translation>（点击图例中对应的条目也可以切换）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Log scale</source>
            <translation>对数刻度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Show the loss axis on a logarithmic scale</source>
            <translation>损失轴使用对数刻度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Save the plots as PNG or the numbers as CSV</source>
            <translation>把图表保存为 PNG，或把数据保存为 CSV</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Plots as PNG image…</source>
            <translation>图表存为 PNG 图像…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Save both plots as a PNG image</source>
            <translation>把两张图表保存为一个 PNG 图像</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>History as CSV…</source>
            <translation>历史数据存为 CSV…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Save the per-epoch history, and the batch losses in a second file ending in -batches.csv</source>
            <translation>保存每轮的历史数据，批次损失另存到一个以 -batches.csv 结尾的文件</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Drag to pan, scroll to zoom, right-click for more; click a legend entry to hide or show its curve</source>
            <translation>拖动以平移，滚轮缩放，右键查看更多选项；点击图例条目可隐藏或显示对应曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>cross-entropy loss</source>
            <translation>交叉熵损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>epoch</source>
            <translation>轮</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>smoothed</source>
            <translation>平滑</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>train (epoch)</source>
            <translation>训练集（每轮）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>validation</source>
            <translation>验证集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>train (running average)</source>
            <translation>训练集（滑动平均）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>test</source>
            <translation>测试集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>No training yet.
Press Start (F5) to watch the loss fall.</source>
            <translation>还没有训练。
按“开始”（F5），看损失如何下降。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Accuracy appears after the first epoch.</source>
            <translation>第一轮结束后显示准确率。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Train accuracy is a running average during the epoch, with dropout and augmentation on; validation and test are measured after the epoch. That is why train can be lower.</source>
            <translation>训练准确率是这一轮中的滑动平均，计算时开着 dropout 和数据增强；验证集和测试集是在这一轮结束后测的。所以训练集的准确率可能更低。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Export curves as PNG</source>
            <translation>将曲线导出为 PNG</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>PNG images (*.png)</source>
            <translation>PNG 图像 (*.png)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Export curves as CSV</source>
            <translation>将曲线导出为 CSV</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Could not export: {0}</source>
            <translation>无法导出：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/curves_panel.py" />
            <source>Exported {0}</source>
            <translation>已导出 {0}</translation>
        </message>
    </context>
    <context>
        <name>DataPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>{0:.1f} MB</source>
            <translation>{0:.1f} MB</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>{0} min {1:02d} s</source>
            <translation>{0} 分 {1:02d} 秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>{0} s</source>
            <translation>{0} 秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>{0} of {1}</source>
            <translation>{0} / {1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>{0}/s</source>
            <translation>{0}/秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>about {0} left</source>
            <translation>约剩 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>MNIST handwritten digits</source>
            <translation>MNIST 手写数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Download MNIST ({0})</source>
            <translation>下载 MNIST（{0}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Fetch the four MNIST files from the public mirrors into {0}; each file's checksum is verified</source>
            <translation>从公共镜像下载 MNIST 的四个文件到 {0}；每个文件都会校验校验和</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Import local files…</source>
            <translation>导入本地文件…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Copy MNIST files you already have (a folder of IDX files, or mnist.npz) into DigitLab's data folder</source>
            <translation>把已有的 MNIST 文件（一个装有 IDX 文件的文件夹，或 mnist.npz）复制到 DigitLab 的数据文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>A folder of IDX files…</source>
            <translation>IDX 文件所在的文件夹…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>An mnist.npz file…</source>
            <translation>mnist.npz 文件…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Choose folder…</source>
            <translation>选择文件夹…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Use MNIST files from another folder, without copying</source>
            <translation>直接使用其他文件夹中的 MNIST 文件，不复制</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Stop the download; files already verified are kept</source>
            <translation>停止下载；已校验的文件会保留</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Folder:</source>
            <translation>文件夹：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Status:</source>
            <translation>状态：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>✔ Loaded: {0:,} training and {1:,} test images (28x28 grey, labels 0-9).</source>
            <translation>✔ 已载入：{0:,} 张训练图像和 {1:,} 张测试图像（28x28 灰度，标签 0-9）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Sample digits appear here once MNIST is loaded.</source>
            <translation>载入 MNIST 后，这里会显示数字样例。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>✘ Not found: this folder does not exist yet.</source>
            <translation>✘ 未找到：这个文件夹还不存在。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>✘ Not found: the folder holds no MNIST files.</source>
            <translation>✘ 未找到：这个文件夹里没有 MNIST 文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>✘ Incomplete: missing {0}.</source>
            <translation>✘ 不完整：缺少 {0}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>The MNIST files are there but not loaded.</source>
            <translation>MNIST 文件已存在，但尚未载入。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>&lt;b&gt;DigitLab trains and evaluates on MNIST&lt;/b&gt;, 70,000 handwritten digits ({1} to download). Drawing already works with the pretrained model. To get MNIST:&lt;ul&gt;&lt;li&gt;&lt;b&gt;Download&lt;/b&gt; fetches it from the public mirrors and checks every file.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Import local files…&lt;/b&gt; copies files you already have: a folder with &lt;tt&gt;train-images-idx3-ubyte.gz&lt;/tt&gt;, &lt;tt&gt;train-labels-idx1-ubyte.gz&lt;/tt&gt;, &lt;tt&gt;t10k-images-idx3-ubyte.gz&lt;/tt&gt; and &lt;tt&gt;t10k-labels-idx1-ubyte.gz&lt;/tt&gt; (or unpacked), or a Keras &lt;tt&gt;{0}&lt;/tt&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Choose folder…&lt;/b&gt; uses such a folder where it is.&lt;/li&gt;&lt;/ul&gt;Without internet, copy those files from another computer and import them.</source>
            <translation>&lt;b&gt;DigitLab 在 MNIST 上训练和评估&lt;/b&gt;，MNIST 包含 70,000 个手写数字（下载 {1}）。手写识别现在就可以用预训练模型。获取 MNIST 的方法：&lt;ul&gt;&lt;li&gt;&lt;b&gt;下载&lt;/b&gt;：从公共镜像下载并校验每个文件。&lt;/li&gt;&lt;li&gt;&lt;b&gt;导入本地文件…&lt;/b&gt;：复制你已有的文件，可以是包含 &lt;tt&gt;train-images-idx3-ubyte.gz&lt;/tt&gt;、&lt;tt&gt;train-labels-idx1-ubyte.gz&lt;/tt&gt;、&lt;tt&gt;t10k-images-idx3-ubyte.gz&lt;/tt&gt; 和 &lt;tt&gt;t10k-labels-idx1-ubyte.gz&lt;/tt&gt;（或解压后的文件）的文件夹，也可以是 Keras 的 &lt;tt&gt;{0}&lt;/tt&gt;。&lt;/li&gt;&lt;li&gt;&lt;b&gt;选择文件夹…&lt;/b&gt;：直接在原位置使用这样的文件夹。&lt;/li&gt;&lt;/ul&gt;没有网络时，可以从另一台电脑复制这些文件再导入。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>The first {0} training images of each digit:</source>
            <translation>每个数字的前 {0} 张训练图像：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Starting…</source>
            <translation>正在开始…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Download cancelled. Files already verified are kept; Download again to fetch the rest.</source>
            <translation>下载已取消。已校验的文件会保留；再次点击“下载”即可获取其余文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>In DigitLab, use Import local files… to copy MNIST files you already have.</source>
            <translation>在 DigitLab 中，可以用“导入本地文件…”复制你已有的 MNIST 文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Folder holding the MNIST files</source>
            <translation>存放 MNIST 文件的文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Folder of MNIST IDX files to import</source>
            <translation>要导入的 MNIST IDX 文件所在的文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>mnist.npz file to import</source>
            <translation>要导入的 mnist.npz 文件</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>NumPy archives (*.npz);;All files (*)</source>
            <translation>NumPy 归档 (*.npz);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/data_panel.py" />
            <source>Checking and copying {0}…</source>
            <translation>正在校验并复制 {0}…</translation>
        </message>
    </context>
    <context>
        <name>DataSetsBox</name>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Your own data sets</source>
            <translation>你自己的数据集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>name for the import, e.g. my_scans</source>
            <translation>导入后的名称，例如 my_scans</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Import folder…</source>
            <translation>导入文件夹…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>A folder with one subfolder per digit (0 to 9) holding images of any size, or a folder of IDX files in MNIST layout (EMNIST digits…); images are prepared like drawings</source>
            <translation>每个数字（0 到 9）一个子文件夹、内含任意大小图片的文件夹，或 MNIST 格式的 IDX 文件所在的文件夹（EMNIST digits…）；图片的预处理与手绘相同</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Import .npz…</source>
            <translation>导入 .npz…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>An .npz with x_train (N, 28, 28) uint8 and y_train digits, and x_test, y_test if it has a test split</source>
            <translation>含 x_train (N, 28, 28) uint8 与 y_train 数字标签的 .npz；如有测试集，另含 x_test、y_test</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>What the next training run learns from</source>
            <translation>下一次训练所用的数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Evaluate the model on it</source>
            <translation>用它评估模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Accuracy of the current model on the selected data set's test images</source>
            <translation>当前模型在所选数据集测试图片上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Train on:</source>
            <translation>训练数据：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>{0}: unreadable ({1})</source>
            <translation>{0}：无法读取（{1}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>{0}: {1:,} training and {2:,} test images</source>
            <translation>{0}：{1:,} 张训练图片和 {2:,} 张测试图片</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>MNIST</source>
            <translation>MNIST</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>MNIST + {0}</source>
            <translation>MNIST + {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Cancelled; nothing was written.</source>
            <translation>已取消；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Folder of digit subfolders (0-9) or IDX files</source>
            <translation>含数字子文件夹（0-9）或 IDX 文件的文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Labelled digits (.npz)</source>
            <translation>带标签的数字（.npz）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>NumPy archives (*.npz);;All files (*)</source>
            <translation>NumPy 归档 (*.npz);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Importing {0} as {1}…</source>
            <translation>正在将 {0} 导入为 {1}…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Imported {0}: {1:,} training and {2:,} test images.</source>
            <translation>已导入 {0}：{1:,} 张训练图片和 {2:,} 张测试图片。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Skipped {0:,} files that are not images.</source>
            <translation>跳过了 {0:,} 个非图片文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Removed {0}.</source>
            <translation>已删除 {0}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>There is no model to evaluate yet.</source>
            <translation>还没有可评估的模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/datasets_box.py" />
            <source>Accuracy on {0}'s {1:,} test images: {2:.1%}</source>
            <translation>在 {0} 的 {1:,} 张测试图片上的准确率：{2:.1%}</translation>
        </message>
    </context>
    <context>
        <name>DigitPicker</name>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>The digit every Inside view looks at (28x28)</source>
            <translation>所有“内部”视图查看的数字（28x28）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>test digit #</source>
            <translation>测试数字 #</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>Look at this digit of the MNIST test set</source>
            <translation>查看 MNIST 测试集中的这个数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>Random test digit</source>
            <translation>随机测试数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>Look at a test digit drawn at random</source>
            <translation>查看一个随机抽取的测试数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>To pick test digits, load MNIST in the Data tab.</source>
            <translation>要选择测试数字，请先在“数据”标签页中加载 MNIST。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>No digit yet: draw one in the Draw tab.</source>
            <translation>还没有数字：请在“绘制”标签页中画一个。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>Test digit #{0}, labelled {1}</source>
            <translation>测试数字 #{0}，标签为 {1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_picker.py" />
            <source>Your drawing from the Draw tab</source>
            <translation>你在“绘制”标签页中画的数字</translation>
        </message>
    </context>
    <context>
        <name>DigitView</name>
        <message>
            <location filename="../digitlab/gui/inside/digit_view.py" />
            <source>There is no model yet: train one, open a model file or use the pretrained model (Draw tab).</source>
            <translation>还没有模型：请训练一个、打开模型文件，或使用预训练模型（“绘制”标签页）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_view.py" />
            <source>No digit to look at: draw one in the Draw tab or pick a test digit above.</source>
            <translation>没有可查看的数字：请在“绘制”标签页中画一个，或在上方选择一个测试数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/digit_view.py" />
            <source>This model cannot be shown here: {0}</source>
            <translation>此模型无法在这里显示：{0}</translation>
        </message>
    </context>
    <context>
        <name>DrawCanvas</name>
        <message>
            <location filename="../digitlab/gui/widgets/draw_canvas.py" />
            <source>Draw one digit with the left mouse button or a pen.
Right-click or Esc clears, Ctrl+Z undoes the last stroke.</source>
            <translation>用鼠标左键或手写笔写一个数字。
右键或 Esc 清除，Ctrl+Z 撤销最后一笔。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/draw_canvas.py" />
            <source>Drawing canvas</source>
            <translation>手写画布</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/draw_canvas.py" />
            <source>Draw a digit here</source>
            <translation>在这里写一个数字</translation>
        </message>
    </context>
    <context>
        <name>DrawPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Erase the drawing (Esc, or right-click the canvas)</source>
            <translation>擦掉所写内容（Esc，或在画布上右键）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Remove the last stroke (Ctrl+Z on the canvas)</source>
            <translation>删除最后一笔（在画布上按 Ctrl+Z）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Load image…</source>
            <translation>载入图像…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Read a digit from a picture (PNG, JPEG…): it goes through the same preprocessing as a drawing and as `digitlab predict`</source>
            <translation>从图片（PNG、JPEG…）中识别数字：它经过的预处理与手写输入和 `digitlab predict` 相同</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>The digit the network reads</source>
            <translation>网络识别出的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>The network's probability for each digit</source>
            <translation>网络给每个数字的概率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>What the network actually sees: the drawing cropped (sheared back if it leans more than about 24 degrees, stretched or squeezed across if it is narrower or wider than MNIST's digits), scaled so its longer side is 20 px and centred by its centre of mass in a 28x28 frame, like MNIST</source>
            <translation>网络实际看到的图像：与 MNIST 一样，把所写内容裁剪（倾斜超过约 24 度时先校正回来，比 MNIST 的数字窄或宽时先横向拉宽或压窄），缩放到长边 20 像素，再按质心居中放进 28x28 的画框</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Add to my digits</source>
            <translation>加入我的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Keep this drawing with its true digit, to fine-tune the model on your handwriting</source>
            <translation>保存这幅手绘及其真实数字，用于按你的笔迹微调模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Use the pretrained model</source>
            <translation>使用预训练模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Load the model that ships with DigitLab</source>
            <translation>载入 DigitLab 自带的模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Reading picture…</source>
            <translation>正在读取图片…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>The network reads</source>
            <translation>网络识别为</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>What it sees (28x28)</source>
            <translation>网络看到的（28x28）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Probability of each digit</source>
            <translation>每个数字的概率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>This model cannot read a 28x28 digit: {0}</source>
            <translation>这个模型无法识别 28x28 的数字：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>{0:.0%} sure</source>
            <translation>把握 {0:.0%}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Not a digit: there is no ink to read</source>
            <translation>不是数字：没有可读的笔迹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Not a digit: too little ink (a dot or a speck)</source>
            <translation>不是数字：笔迹太少（一个点或一小块）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Not a digit: too many strokes for one digit</source>
            <translation>不是数字：笔画太多，不像一个数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Not a digit: it is unlike any digit the network knows</source>
            <translation>不是数字：不像网络认识的任何数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Not a digit</source>
            <translation>不是数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>{0} digits</source>
            <translation>{0} 个数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Draw a digit, large or small, or a number with its digits side by side. The prediction follows your pen; right-click or Esc clears, Ctrl+Z undoes a stroke.</source>
            <translation>写一个数字（大小随意），或把几个数字并排写成一个数。预测结果随笔迹实时更新；右键或 Esc 清除，Ctrl+Z 撤销一笔。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>There is no model yet, so nothing can read your digit. Train one in the Training panel, open a model file (File ▸ Open…), or use the pretrained model.</source>
            <translation>还没有模型，所以无法识别你写的数字。可以在“训练”面板训练一个，打开一个模型文件（文件 ▸ 打开…），或者使用预训练模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Load a picture of a digit</source>
            <translation>载入一张数字图片</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
            <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/draw_panel.py" />
            <source>No digit found in {0}: the picture is blank.</source>
            <translation>{0} 中没有找到数字：图片是空白的。</translation>
        </message>
    </context>
    <context>
        <name>ErrorReporter</name>
        <message>
            <location filename="../digitlab/gui/errors.py" />
            <source>{0} (details in {1})</source>
            <translation>{0}（详情见 {1}）</translation>
        </message>
    </context>
    <context>
        <name>EvaluatePanel</name>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluate on test set</source>
            <translation>在测试集上评估</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Run the current model on the 10,000 MNIST test images (in the background)</source>
            <translation>在后台用当前模型识别 10,000 张 MNIST 测试图像</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Stop the evaluation; the previous results stay</source>
            <translation>停止评估；之前的结果保留</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Click a cell to see those test images</source>
            <translation>点击一个格子，查看对应的测试图像</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Row percentages</source>
            <translation>按行百分比</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Show each cell as a percentage of its row, the test images of that true digit, instead of a count</source>
            <translation>每个格子显示它占所在行（该真实数字的测试图像）的百分比，而不是数量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Show all mistakes</source>
            <translation>显示所有错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Leave the selected cell and list every mistake</source>
            <translation>取消所选格子，列出所有错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>◀ Previous</source>
            <translation>◀ 上一页</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Next ▶</source>
            <translation>下一页 ▶</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Confusion matrix (click a cell)</source>
            <translation>混淆矩阵（点击格子）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Confusion matrix</source>
            <translation>混淆矩阵</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Accuracy per digit</source>
            <translation>各数字的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Test images</source>
            <translation>测试图像</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluation cancelled.</source>
            <translation>评估已取消。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluation failed: {0}</source>
            <translation>评估失败：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Test accuracy {0:.2%}  ({1:,} of {2:,} right, {3:,} mistakes) · loss {4:.4f}</source>
            <translation>测试准确率 {0:.2%}（{2:,} 张中对了 {1:,} 张，错了 {3:,} 张）· 损失 {4:.4f}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>No evaluation yet.</source>
            <translation>尚未评估。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>All {0:,} misclassified test digits, most confident mistakes first</source>
            <translation>全部 {0:,} 个识别错误的测试数字，最有把握的错误排在前面</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>{0:,} test images of a {1} read correctly, least confident first</source>
            <translation>{0:,} 张数字 {1} 的测试图像被正确识别，把握最小的排在前面</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>{0:,} test images of a {1} read as {2}, most confident first</source>
            <translation>{0:,} 张数字 {1} 的测试图像被识别成了 {2}，把握最大的排在前面</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>{0} → {1}
{2:.0%}</source>
            <translation>{0} → {1}
{2:.0%}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Test image #{0}: a {1}, read as {2} with {3:.1%} confidence</source>
            <translation>测试图像 #{0}：数字 {1}，以 {3:.1%} 的置信度被识别为 {2}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>{0:,}–{1:,} of {2:,}   (true → predicted, confidence)</source>
            <translation>第 {0:,}–{1:,} 个，共 {2:,} 个（真实 → 预测，置信度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluating {0:,} test images…</source>
            <translation>正在评估 {0:,} 张测试图像…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>No MNIST data is loaded: open the Data panel to download or import it, then evaluate here.</source>
            <translation>尚未载入 MNIST 数据：请在“数据”面板下载或导入，然后回到这里评估。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>There is no model to evaluate: train one or open a model file.</source>
            <translation>没有可评估的模型：请训练一个模型或打开模型文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>The model has changed since this evaluation: evaluate again to update it.</source>
            <translation>模型在这次评估后已经改变：请重新评估以更新结果。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluated the current model on the MNIST test set.</source>
            <translation>已在 MNIST 测试集上评估当前模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Ready: evaluate the current model on the {0:,} test images.</source>
            <translation>准备就绪：在 {0:,} 张测试图像上评估当前模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/evaluate_panel.py" />
            <source>Evaluate on test set runs the model on MNIST's test digits, which it never trained on, and shows its accuracy, which digits it confuses, and its mistakes.</source>
            <translation>“在测试集上评估”会用模型识别 MNIST 的测试数字（模型训练时从没见过它们），并显示准确率、容易混淆的数字以及识别错误的样本。</translation>
        </message>
    </context>
    <context>
        <name>ExperimentWidget</name>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>&lt;b&gt;Needs MNIST.&lt;/b&gt; No digits are loaded: open the Data panel of the main window to download or import them, then press Start.</source>
            <translation>&lt;b&gt;需要 MNIST。&lt;/b&gt;尚未载入数字数据：请在主窗口的“数据”面板下载或导入，然后按“开始”。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>Run the experiment with these settings</source>
            <translation>用这些设置运行实验</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>Stop after the current step; the results so far stay</source>
            <translation>在当前这一步之后停止；已得到的结果会保留</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>Running…</source>
            <translation>正在运行…</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>ONNX model (*.onnx)</source>
            <translation>ONNX 模型 (*.onnx)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>Folder with predict.py and weights, NumPy only (*)</source>
            <translation>含 predict.py 和权重的文件夹，只需 NumPy (*)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>There is no model to export.</source>
            <translation>没有可导出的模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>Export model</source>
            <translation>导出模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>Exported to {0}</source>
            <translation>已导出到 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>Could not export the model</source>
            <translation>无法导出模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/export_dialog.py" />
            <source>Exporting to {0}…</source>
            <translation>正在导出到 {0}…</translation>
        </message>
    </context>
    <context>
        <name>FittingTab</name>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Hidden units</source>
            <translation>隐藏单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Initial learning rate</source>
            <translation>初始学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Power decay: the rate at update t is lr / t^power</source>
            <translation>幂衰减：第 t 次更新的学习率为 lr / t^power</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Momentum: how much of the last step is kept</source>
            <translation>动量：上一步保留多少</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>L2 weight decay strength</source>
            <translation>L2 权值衰减的强度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Points per mini-batch</source>
            <translation>每个小批量的点数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Epochs to train</source>
            <translation>训练的轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Mini-batches per epoch: the tutorial makes 100 (one per training point); 3 is one pass over the data</source>
            <translation>每轮的小批量数：教程里是 100（每个训练点一个）；3 表示把数据完整过一遍</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Stop once the training error is below this</source>
            <translation>训练误差低于这个值就停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Seed for the points, the weights and the batches</source>
            <translation>数据点、权重和批次的随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Function</source>
            <translation>函数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Initial weights</source>
            <translation>初始权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Decay power</source>
            <translation>衰减幂</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Momentum</source>
            <translation>动量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>L2</source>
            <translation>L2</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Batches per epoch</source>
            <translation>每轮批次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Stop below</source>
            <translation>低于此值停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>&lt;p&gt;The target now is the bowl x² + y²: lowest in the middle, rising towards the corners, where it is steepest. Compare 3, 5 and 8 hidden units, and watch whether the corners are fitted as well as the middle.&lt;/p&gt;</source>
            <translation>&lt;p&gt;现在的目标是碗形 x² + y²：中间最低，向四角升高，四角处最陡。比较 3、5、8 个隐藏单元，看四角是否和中间拟合得一样好。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>&lt;p&gt;The target now is the saddle x² − y²: it rises along x and falls along y, so the hidden units must work in opposite directions. Compare 3, 5 and 8 hidden units.&lt;/p&gt;</source>
            <translation>&lt;p&gt;现在的目标是马鞍形 x² − y²：沿 x 方向升高，沿 y 方向降低，所以隐藏单元要朝相反的方向配合。比较 3、5、8 个隐藏单元。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>&lt;p&gt;The target now is the ripple cos(1.2x)·cos(1.2y). Three hidden units catch its middle but miss its corners; eight fit it.&lt;/p&gt;</source>
            <translation>&lt;p&gt;现在的目标是波纹 cos(1.2x)·cos(1.2y)。3 个隐藏单元能抓住它的中部，但抓不住四角；8 个就能拟合好。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>&lt;b&gt;Fitting a function&lt;/b&gt;&lt;p&gt;A network is a function with knobs. Here it gets 100 random points of a surface over the square [−2, 2]² and must learn the whole surface from them: two inputs (x, y), one hidden layer of sigmoid units, one output.&lt;/p&gt;&lt;p&gt;Left: the true function. Right: what the network computes now, in the same colours; the dots are the training points.&lt;/p&gt;</source>
            <translation>&lt;b&gt;拟合一个函数&lt;/b&gt;&lt;p&gt;神经网络就是一个带旋钮的函数。这里它拿到正方形 [−2, 2]² 上某个曲面的 100 个随机点，要从这些点学出整个曲面：两个输入 (x, y)，一个由 sigmoid 单元组成的隐藏层，一个输出。&lt;/p&gt;&lt;p&gt;左边：真实的函数。右边：网络现在算出的结果，用同样的颜色表示；圆点是训练点。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>&lt;p&gt;Try the tutorial's tiny starting weights (std 0.01): the hidden units start as near copies of each other and learn slowly.&lt;/p&gt;&lt;p&gt;One epoch here is the tutorial's: 100 mini-batches of 40 points.&lt;/p&gt;</source>
            <translation>&lt;p&gt;试试教程里很小的初始权重（标准差 0.01）：隐藏单元一开始几乎是彼此的复制品，学得很慢。&lt;/p&gt;&lt;p&gt;这里的一轮与教程相同：100 个小批量，每批 40 个点。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>The surface to learn</source>
            <translation>要学习的曲面</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Sigmoid units in the hidden layer (the tutorial compares 3, 5 and 8)</source>
            <translation>隐藏层中的 sigmoid 单元数（教程比较了 3、5 和 8）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Xavier (Glorot)</source>
            <translation>Xavier（Glorot）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>tiny, std 0.01 (tutorial)</source>
            <translation>很小，标准差 0.01（教程）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>How the starting weights are drawn</source>
            <translation>初始权重如何随机生成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Target function</source>
            <translation>目标函数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Network output</source>
            <translation>网络输出</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Training error (log scale)</source>
            <translation>训练误差（对数刻度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>epoch</source>
            <translation>轮</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>mean ½(y − t)²</source>
            <translation>½(y − t)² 的均值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>training error</source>
            <translation>训练误差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Target: {0}</source>
            <translation>目标：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Epoch {0} of {1}: error {2:.5f}, learning rate {3:.4f}</source>
            <translation>第 {0}/{1} 轮：误差 {2:.5f}，学习率 {3:.4f}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>below the stopping threshold</source>
            <translation>已低于停止阈值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>all epochs done</source>
            <translation>所有轮次已完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/fitting_tab.py" />
            <source>Training error {0:.4f} → {1:.5f} after {2} epochs ({3}): the final error is {4:.2%} of the starting error.</source>
            <translation>训练 {2} 轮后训练误差 {0:.4f} → {1:.5f}（{3}）：最终误差是初始误差的 {4:.2%}。</translation>
        </message>
    </context>
    <context>
        <name>HelpActions</name>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&amp;User guide</source>
            <translation>用户指南(&amp;U)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>How DigitLab works, step by step</source>
            <translation>一步一步了解 DigitLab 怎么用</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&amp;Keyboard shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Every key DigitLab answers to</source>
            <translation>DigitLab 响应的所有按键</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Open &amp;documentation folder</source>
            <translation>打开文档文件夹(&amp;D)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>The guides and notes that come with DigitLab</source>
            <translation>DigitLab 附带的指南和说明</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>This installation has no documentation folder</source>
            <translation>此安装没有文档文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Open &amp;models folder</source>
            <translation>打开模型文件夹(&amp;M)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Where File ▸ Save puts your models</source>
            <translation>文件 ▸ 保存 把模型存在这里</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Could not open {0}</source>
            <translation>无法打开 {0}</translation>
        </message>
    </context>
    <context>
        <name>Inside</name>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Activations</source>
            <translation>激活</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Layer math</source>
            <translation>逐层计算</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Saliency</source>
            <translation>显著性</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Points map</source>
            <translation>点图</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Neuron lab</source>
            <translation>神经元实验室</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/views.py" />
            <source>Robustness</source>
            <translation>稳健性</translation>
        </message>
    </context>
    <context>
        <name>Lab</name>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Lab</source>
            <translation>实验室(&amp;L)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Numerical vs backprop gradients…</source>
            <translation>数值梯度与反向传播(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>Train one net with numerical and with backprop gradients; compare time and a gradient check</source>
            <translation>同一个网络分别用数值梯度和反向传播训练；比较耗时，并做梯度确认</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Fitting a 2-D function…</source>
            <translation>拟合二元函数(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>Fit x²+y², x²−y² or a ripple with one sigmoid hidden layer</source>
            <translation>用一个 sigmoid 隐藏层拟合 x²+y²、x²−y² 或波纹曲面</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Decision boundary of drawn points…</source>
            <translation>手画点的决策边界(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>Click two classes of points and watch a network separate them</source>
            <translation>点出两类点，看神经网络如何把它们分开</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;MSE vs cross-entropy…</source>
            <translation>均方误差与交叉熵(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>The tutorial's worked loss values, and the two losses racing on MNIST</source>
            <translation>教程中算过的损失值，以及两种损失在 MNIST 上的比拼</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Activations and initialisation…</source>
            <translation>激活函数与初始化(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>Sigmoid vs ReLU, std 0.01 vs He: histograms and vanishing gradients</source>
            <translation>sigmoid 与 ReLU、标准差 0.01 与 He 初始值：直方图与梯度消失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>&amp;Backpropagation step by step…</source>
            <translation>一步一步看反向传播(&amp;B)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>A 4-3-2 network on one sample: every value forward, every gradient back, each checked against the numerical derivative</source>
            <translation>一个样本上的 4-3-2 网络：前向的每个值、反向的每个梯度，每个梯度都与数值导数对照</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/__init__.py" />
            <source>Help</source>
            <translation>帮助</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/base.py" />
            <source>accuracy (%)</source>
            <translation>准确率（%）</translation>
        </message>
    </context>
    <context>
        <name>LabWindow</name>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>DigitLab – Lab</source>
            <translation>DigitLab – 实验室</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>Numerical vs backprop</source>
            <translation>数值梯度与反向传播</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>Function fitting</source>
            <translation>函数拟合</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>Decision boundary</source>
            <translation>决策边界</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>MSE vs cross-entropy</source>
            <translation>均方误差与交叉熵</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>Activations &amp;&amp; init</source>
            <translation>激活函数与初始化</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/lab_window.py" />
            <source>Backprop step by step</source>
            <translation>反向传播逐步演示</translation>
        </message>
    </context>
    <context>
        <name>LanguageMenu</name>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>System default</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>Applies the next time DigitLab starts</source>
            <translation>下次启动 DigitLab 时生效</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>The language changes when DigitLab is restarted.</source>
            <translation>重新启动 DigitLab 后语言才会改变。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>For now {0}={1} is set in the environment and overrides this choice.</source>
            <translation>目前环境变量中设置了 {0}={1}，它优先于这里的选择。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/language.py" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
    </context>
    <context>
        <name>LayerEditor</name>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Params</source>
            <translation>参数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>The network's layers from input (top) to output (bottom); activations are layers of their own. Select a row to edit it.</source>
            <translation>网络的各层，从输入（上）到输出（下）；激活函数单独作为一层。选中一行即可编辑。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Insert a dense layer below the selected one</source>
            <translation>在选中的层下面插入一个全连接层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Delete the selected layer</source>
            <translation>删除选中的层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Move the selected layer towards the input</source>
            <translation>把选中的层移向输入端</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Move the selected layer towards the output</source>
            <translation>把选中的层移向输出端</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Selected layer</source>
            <translation>选中的层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Shape of this layer's output for one image</source>
            <translation>这一层对一张图像的输出形状</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Trainable parameters of this layer</source>
            <translation>这一层可训练的参数数量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Select a layer in the table to edit it.</source>
            <translation>在表格中选中一层即可编辑。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Layer {0}</source>
            <translation>第 {0} 层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Layer type; activations are layers of their own</source>
            <translation>层的类型；激活函数单独作为一层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Type:</source>
            <translation>类型：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>auto</source>
            <translation>自动</translation>
        </message>
    </context>
    <context>
        <name>LayerMathView</name>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>One unit's arithmetic for this digit: each input times its weight (the largest contributions first), plus the bias, gives the pre-activation z; the activation turns z into the unit's output. A convolution unit is one filter at one position: its inputs are the window under the filter. For the output layer, the softmax steps turn scores into probabilities; the temperature changes the confidence, never the answer.</source>
            <translation>这个数字下某一个单元的计算过程：每个输入乘以它的权重（贡献最大的排在前面），再加上偏置，得到激活前的值 z；激活函数把 z 变成单元的输出。卷积单元是某个滤波器在某个位置上的输出：它的输入是滤波器覆盖的窗口。对于输出层，softmax 的各步把分数变成概率；温度只改变置信度，从不改变答案。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>A layer with weights: dense or convolution</source>
            <translation>带权重的层：全连接层或卷积层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>row </source>
            <translation>行 </translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Output row of the filter's position</source>
            <translation>滤波器位置的输出行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>col </source>
            <translation>列 </translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Output column of the filter's position</source>
            <translation>滤波器位置的输出列</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Most active</source>
            <translation>最活跃</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Go to the unit with the largest output in this layer</source>
            <translation>跳到本层输出最大的单元</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>input</source>
            <translation>输入</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>x (value)</source>
            <translation>x（值）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>w (weight)</source>
            <translation>w（权重）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>x × w</source>
            <translation>x × w</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>The largest contributions input × weight, then the rest summed, the bias, and the result</source>
            <translation>最大的几项贡献（输入 × 权重），然后是其余各项之和、偏置和结果</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Divide the scores by a temperature T before the softmax: T &gt; 1 softens the probabilities, T &lt; 1 sharpens them; the largest score wins either way</source>
            <translation>在 softmax 之前把分数除以温度 T：T &gt; 1 使概率更平缓，T &lt; 1 使概率更尖锐；无论如何，最大的分数都会胜出</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>digit</source>
            <translation>数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>− max</source>
            <translation>− 最大值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>÷ sum = p</source>
            <translation>÷ 总和 = p</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Temperature</source>
            <translation>温度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Softmax, step by step</source>
            <translation>逐步计算 softmax</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>the network has no dense or convolution layer</source>
            <translation>网络中没有全连接层或卷积层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>filter </source>
            <translation>滤波器 </translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>unit </source>
            <translation>单元 </translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Which filter</source>
            <translation>哪个滤波器</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>Which unit</source>
            <translation>哪个单元</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>the other {0} inputs</source>
            <translation>其余 {0} 个输入</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>+ bias b</source>
            <translation>+ 偏置 b</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>= pre-activation z</source>
            <translation>= 激活前的值 z</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>→ {0}(z)</source>
            <translation>→ {0}(z)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>z = Σ x·w + b = {0:+.4g} {1:+.4g} = {2:.4g} (sum of all {3} products and the bias)</source>
            <translation>z = Σ x·w + b = {0:+.4g} {1:+.4g} = {2:.4g}（全部 {3} 个乘积与偏置之和）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/layer_math_view.py" />
            <source>sum of exp = {0:.4g}. Answer: {1}, {2:.1%} sure at T = {3:.2f} (the largest score wins at every temperature)</source>
            <translation>exp 之和 = {0:.4g}。答案：{1}，在 T = {3:.2f} 时置信度为 {2:.1%}（在任何温度下最大的分数都会胜出）</translation>
        </message>
    </context>
    <context>
        <name>LayerTable</name>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>padding</source>
            <translation>填充</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>units</source>
            <translation>单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Number of outputs (neurons) of this dense layer</source>
            <translation>这个全连接层的输出（神经元）个数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>filters</source>
            <translation>滤波器数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Number of filters (output channels)</source>
            <translation>滤波器（输出通道）的个数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>kernel</source>
            <translation>卷积核</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Side of the square convolution kernel, in pixels</source>
            <translation>正方形卷积核的边长，单位为像素</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>size</source>
            <translation>窗口</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Side of the square pooling window, in pixels</source>
            <translation>正方形池化窗口的边长，单位为像素</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>stride</source>
            <translation>步幅</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Step between windows; 'auto' steps by the window size</source>
            <translation>相邻窗口之间的步长；“自动”表示步长等于窗口大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Step between kernel positions, in pixels</source>
            <translation>卷积核每次移动的步长，单位为像素</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>'valid': no padding (the image shrinks); 'same': pad to keep the size; or a number of zero pixels on each side</source>
            <translation>'valid'：不填充（图像会变小）；'same'：填充以保持大小不变；也可以填一个数，表示每边补几个零像素</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>rate</source>
            <translation>丢弃率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Fraction of inputs dropped at random in training</source>
            <translation>训练时随机丢弃的输入比例</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>slope</source>
            <translation>斜率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Slope for negative inputs</source>
            <translation>输入为负时的斜率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Starting value of the learned negative slope</source>
            <translation>可学习的负半轴斜率的初始值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>momentum</source>
            <translation>动量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>How slowly the running mean and variance follow the batches</source>
            <translation>滑动均值和方差跟随各批数据变化的迟缓程度（越大越慢）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>init</source>
            <translation>初始化</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>How this layer's weights start: 'normal' draws from N(0, scale^2), 'xavier' suits sigmoid/tanh, 'he' suits ReLU</source>
            <translation>该层权重的初始值：'normal' 从 N(0, scale^2) 抽取，'xavier' 适合 sigmoid/tanh，'he' 适合 ReLU</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>init scale</source>
            <translation>初始化尺度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Standard deviation of the 'normal' initialiser (the tutorials use 0.01)</source>
            <translation>'normal' 初始化的标准差（教程中用 0.01）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>eps</source>
            <translation>eps</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Added to the variance to avoid dividing by zero</source>
            <translation>加到方差上，避免除以零</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/layer_table.py" />
            <source>Setting '{0}' of this layer</source>
            <translation>这一层的设置“{0}”</translation>
        </message>
    </context>
    <context>
        <name>LossesTab</name>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Hidden units</source>
            <translation>隐藏单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Activation</source>
            <translation>激活函数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Hidden units of the 784-H-10 network</source>
            <translation>784-H-10 网络的隐藏单元数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Hidden activation (the output is softmax for both losses)</source>
            <translation>隐藏层的激活函数（两种损失的输出层都是 softmax）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Mini-batch updates of each copy</source>
            <translation>每个副本做的小批量更新次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Images per mini-batch</source>
            <translation>每个小批量的图像数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>SGD learning rate, the same for both copies</source>
            <translation>SGD 学习率，两个副本相同</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Seed for the initial weights and the batches</source>
            <translation>初始权重和批次的随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Iterations</source>
            <translation>迭代次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>&lt;b&gt;Two ways to score a guess&lt;/b&gt;&lt;p&gt;The network says how likely each digit is. Mean squared error (MSE) adds up the squared misses over all ten outputs; cross-entropy (CE) looks only at the probability given to the right digit and takes −log of it.&lt;/p&gt;&lt;p&gt;The table has the tutorial's example (the right answer is 2): a confident right guess and the same guess pointing at 7. Cross-entropy punishes the confident mistake much harder, and without limit as the right digit's probability goes to 0 (lower left).&lt;/p&gt;&lt;p&gt;Start races two copies of one network on the same batches, one per loss: with cross-entropy the gradient stays large while the network is wrong, so it learns faster.&lt;/p&gt;</source>
            <translation>&lt;b&gt;给猜测打分的两种方法&lt;/b&gt;&lt;p&gt;网络给出每个数字的可能性。均方误差（MSE）把十个输出上偏差的平方加起来；交叉熵（CE）只看给正确数字的概率，并取它的 −log。&lt;/p&gt;&lt;p&gt;表格里是教程中的例子（正确答案是 2）：一个很有把握的正确猜测，以及同样有把握却指向 7 的猜测。交叉熵对有把握的错误惩罚重得多，而且当正确数字的概率趋于 0 时惩罚没有上限（左下图）。&lt;/p&gt;&lt;p&gt;按“开始”会让同一个网络的两个副本在相同的批次上比赛，各用一种损失：用交叉熵时，只要网络还错着，梯度就一直很大，所以学得更快。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Training loss (each copy its own)</source>
            <translation>训练损失（各副本用自己的损失）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>iteration</source>
            <translation>迭代</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>MSE copy</source>
            <translation>MSE 副本</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>cross-entropy copy</source>
            <translation>交叉熵副本</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Accuracy on test images</source>
            <translation>测试图像上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>&lt;b&gt;The tutorial's worked values&lt;/b&gt; (the right answer is 2)</source>
            <translation>&lt;b&gt;教程中算出的值&lt;/b&gt;（正确答案是 2）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Below: ● marks the right guess, ✕ the wrong one, on both loss curves.</source>
            <translation>下图：两条损失曲线上，● 标出正确的猜测，✕ 标出错误的猜测。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Guess</source>
            <translation>猜测</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>MSE</source>
            <translation>均方误差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Cross-entropy</source>
            <translation>交叉熵</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>0.6 on digit 2: confident, right</source>
            <translation>数字 2 为 0.6：有把握，正确</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>0.6 on digit 7: confident, wrong</source>
            <translation>数字 7 为 0.6：有把握，错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>MSE = ½Σ(y − t)², cross-entropy = −Σ t·log y, for the output y and the one-hot target t</source>
            <translation>均方误差 = ½Σ(y − t)²，交叉熵 = −Σ t·log y，其中 y 为输出，t 为 one-hot 目标</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>The two guesses (right answer: 2)</source>
            <translation>两个猜测（正确答案：2）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>digit</source>
            <translation>数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>probability</source>
            <translation>概率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>right guess</source>
            <translation>正确的猜测</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>wrong guess</source>
            <translation>错误的猜测</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Loss vs probability of the right digit</source>
            <translation>损失与正确数字的概率的关系</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>cross-entropy</source>
            <translation>交叉熵</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Iteration {0} of {1}: MSE {2:.4f}, cross-entropy {3:.4f}</source>
            <translation>第 {0}/{1} 次迭代：均方误差 {2:.4f}，交叉熵 {3:.4f}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/losses_tab.py" />
            <source>{0} after {1} iterations. Test accuracy: MSE copy {2:.1%}, cross-entropy copy {3:.1%}.</source>
            <translation>{0}，共 {1} 次迭代。测试准确率：MSE 副本 {2:.1%}，交叉熵副本 {3:.1%}。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Training failed</source>
            <translation>训练失败</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Curves</source>
            <translation>曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Draw</source>
            <translation>手写</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Inside</source>
            <translation>网络内部</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Evaluate</source>
            <translation>评估</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Runs</source>
            <translation>运行记录</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;New model</source>
            <translation>新建模型(&amp;N)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Fresh random weights for the configuration in the Network panel</source>
            <translation>按“网络”面板中的配置重新随机生成权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Open…</source>
            <translation>打开(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Open a saved model</source>
            <translation>打开已保存的模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Open &amp;recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Save the model, its settings and curves</source>
            <translation>保存模型及其设置和曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Save &amp;as…</source>
            <translation>另存为(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Save the model to a new file</source>
            <translation>把模型保存到一个新文件</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Export…</source>
            <translation>导出(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Write the model as ONNX or as a NumPy-only folder</source>
            <translation>将模型写成 ONNX 文件，或只需 NumPy 即可运行的文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Close DigitLab</source>
            <translation>关闭 DigitLab</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Training</source>
            <translation>训练(&amp;T)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Reset layout</source>
            <translation>重置布局(&amp;R)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Put the panels back where they started</source>
            <translation>把各面板放回初始位置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&amp;About DigitLab</source>
            <translation>关于 DigitLab(&amp;A)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Version, licence, data and model folders</source>
            <translation>版本、许可证、数据和模型文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>The shipped model could not be loaded: {0}</source>
            <translation>无法载入自带的模型：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Some saved settings could not be used and were reset to defaults ({0})</source>
            <translation>部分已保存的设置无法使用，已恢复为默认值（{0}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>No MNIST data found in {0}: the Data tab explains how to get it.</source>
            <translation>在 {0} 中没有找到 MNIST 数据：“数据”标签页说明了如何获取。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Open model</source>
            <translation>打开模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Could not open the model</source>
            <translation>无法打开模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Opened {0}</source>
            <translation>已打开 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Save model</source>
            <translation>保存模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Could not save the model</source>
            <translation>无法保存模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>DigitLab models (*.npz);;All files (*)</source>
            <translation>DigitLab 模型 (*.npz);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>No recent models</source>
            <translation>没有最近使用的模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Clear list</source>
            <translation>清空列表</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Unsaved model</source>
            <translation>模型未保存</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>The trained weights have not been saved. Save them first?</source>
            <translation>训练好的权重还没有保存。要先保存吗？</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Stop the training first.</source>
            <translation>请先停止训练。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>No MNIST data loaded</source>
            <translation>未载入 MNIST 数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>MNIST loaded from {0}</source>
            <translation>已从 {0} 加载 MNIST</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>MNIST: {0:,} training + {1:,} test images</source>
            <translation>MNIST：{0:,} 张训练图像 + {1:,} 张测试图像</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Unexpected error</source>
            <translation>意外错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>&lt;h3&gt;DigitLab {0}&lt;/h3&gt;&lt;p&gt;A workbench for neural networks on handwritten digits, with a pure-NumPy core.&lt;/p&gt;&lt;p&gt;Licence: MIT.&lt;/p&gt;&lt;p&gt;MNIST: Y. LeCun, C. Cortes, C. J. C. Burges, &lt;i&gt;The MNIST database of handwritten digits&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Data folder: {1}&lt;br&gt;Models folder: {2}&lt;br&gt;Settings: {3}&lt;/p&gt;</source>
            <translation>&lt;h3&gt;DigitLab {0}&lt;/h3&gt;&lt;p&gt;用于手写数字的神经网络实验台，核心部分只用 NumPy 实现。&lt;/p&gt;&lt;p&gt;许可证：MIT。&lt;/p&gt;&lt;p&gt;MNIST：Y. LeCun, C. Cortes, C. J. C. Burges, &lt;i&gt;The MNIST database of handwritten digits&lt;/i&gt;。&lt;/p&gt;&lt;p&gt;数据文件夹：{1}&lt;br&gt;模型文件夹：{2}&lt;br&gt;设置文件：{3}&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>About DigitLab</source>
            <translation>关于 DigitLab</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Untitled</source>
            <translation>未命名</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>pretrained model</source>
            <translation>预训练模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>Training in progress</source>
            <translation>正在训练</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/main_window.py" />
            <source>A training run is in progress. Stop it and close DigitLab?</source>
            <translation>训练正在进行。要停止训练并关闭 DigitLab 吗？</translation>
        </message>
    </context>
    <context>
        <name>MyDigits</name>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Draw a digit first.</source>
            <translation>请先画一个数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Added to my digits as {0} ({1} digits kept).</source>
            <translation>已作为 {0} 加入我的数字（共保存 {1} 个）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>It is a &amp;{0}</source>
            <translation>这是 &amp;{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Browse and fine-tune…</source>
            <translation>浏览并微调…</translation>
        </message>
    </context>
    <context>
        <name>MyDigitsDialog</name>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>My digits</source>
            <translation>我的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Relabel as</source>
            <translation>改标为</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Fine-tune on my digits</source>
            <translation>用我的数字微调</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Train the current model for {0} updates on MNIST plus your digits (repeated so they count), then compare its accuracy on the digits kept aside</source>
            <translation>用 MNIST 加上你的数字（重复多次以增加权重）对当前模型训练 {0} 次更新，然后比较它在预留数字上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Kept aside to measure fine-tuning</source>
            <translation>预留用于衡量微调效果</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>{0} digits drawn by you; {1} of them (labels in grey italics) are kept aside, never trained on, to measure fine-tuning. Select digits to relabel or delete them.</source>
            <translation>你画了 {0} 个数字；其中 {1} 个（标签为灰色斜体）被预留，从不参与训练，用于衡量微调效果。选中数字即可改标或删除。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>There is no model to fine-tune: train or open one first.</source>
            <translation>没有可微调的模型：请先训练或打开一个模型。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Fine-tuning also shows the network MNIST, so it is not forgotten: load MNIST in the Data panel first.</source>
            <translation>微调时也会让网络看到 MNIST，以免遗忘：请先在数据面板中加载 MNIST。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Fine-tuning on MNIST and {0} of your digits…</source>
            <translation>正在用 MNIST 和你的 {0} 个数字微调…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Fine-tuning failed: {0}</source>
            <translation>微调失败：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Its threshold for declining non-digits is now {0:.3f} (it was {1:.3f}), so it declines as many real digits as before.</source>
            <translation>它拒认非数字的阈值现在是 {0:.3f}（原为 {1:.3f}），因此拒认的真实数字与之前一样多。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Fine-tuning ended before it could be measured.</source>
            <translation>微调在完成衡量前就结束了。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/my_digits_dialog.py" />
            <source>Accuracy on your {0} held-out digits: {1:.0%} before, {2:.0%} after fine-tuning. Save the model to keep it.</source>
            <translation>在你预留的 {0} 个数字上的准确率：微调前 {1:.0%}，微调后 {2:.0%}。保存模型即可保留。</translation>
        </message>
    </context>
    <context>
        <name>NetworkPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Layers</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Optimiser</source>
            <translation>优化器</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Settings are locked while training runs. The learning rate can be changed in the Training panel.</source>
            <translation>训练进行时设置被锁定。学习率可以在“训练”面板中修改。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Preset:</source>
            <translation>预设：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>custom</source>
            <translation>自定义</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Start from a named configuration: the tutorials' networks and DigitLab's own. After an edit the name says '(modified)'.</source>
            <translation>从命名的配置开始：教程中的网络和 DigitLab 自己的网络。修改后名称会显示“（已修改）”。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>These settings are for the next run. The current model keeps the settings that trained it; Save writes those, never what this panel shows.</source>
            <translation>这些设置用于下一次训练。当前模型保留训练它的设置；保存时写入的是那些设置，而不是本面板显示的内容。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>How dense and convolution weights start: 'normal' draws from N(0, scale^2), 'xavier' suits sigmoid/tanh, 'he' suits ReLU. Biases start at zero. Each layer keeps its own (edit it in the selected layer); new layers get this one.</source>
            <translation>全连接层和卷积层权重的初始值：'normal' 从 N(0, scale^2) 抽取，'xavier' 适合 sigmoid/tanh，'he' 适合 ReLU。偏置从零开始。每层有自己的初始化（在所选层中编辑）；新加的层使用这里的选择。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Standard deviation of the 'normal' initialiser (the tutorials use 0.01)</source>
            <translation>'normal' 初始化的标准差（教程中用 0.01）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Apply to all layers</source>
            <translation>应用到所有层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Give every dense and convolution layer this initialiser</source>
            <translation>让所有全连接层和卷积层使用此初始化</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Initialiser:</source>
            <translation>初始化方法：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>scale</source>
            <translation>标准差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Number of trainable weights and biases</source>
            <translation>可训练的权重和偏置的个数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>The update rule; choosing one starts from its own default settings</source>
            <translation>更新规则；选择后从它自己的默认设置开始</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Optimiser:</source>
            <translation>优化器：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>How the learning rate changes: constant; time: lr/(1+decay*t); power: lr/t^power; step: multiply by gamma every step size epochs; cosine: down to min lr along a cosine</source>
            <translation>学习率如何变化：constant 不变；time：lr/(1+decay*t)；power：lr/t^power；step：每隔“步长”轮乘以 gamma；cosine：沿余弦曲线降到最小学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>Schedule:</source>
            <translation>学习率调度：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>{0:,} trainable parameters</source>
            <translation>{0:,} 个可训练参数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/network_panel.py" />
            <source>{0!r} is refused: {1}</source>
            <translation>{0!r} 不被接受：{1}</translation>
        </message>
    </context>
    <context>
        <name>NeuronLab</name>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Switch hidden units off (click them), scale them, prune the smallest weights or add noise to a copy of the model, and see how its answer for the current digit and its accuracy on 2,000 fixed test digits change. The model itself is not changed.</source>
            <translation>在模型的副本上关闭隐藏单元（点击它们）、缩放它们、剪掉最小的权重或加入噪声，观察它对当前数字的回答以及在 2,000 个固定测试数字上的准确率如何变化。模型本身不会被改动。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>The hidden layer whose units are shown below</source>
            <translation>下方显示其单元的隐藏层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>What clicking a unit multiplies it by: 0 switches it off. Click it again to restore it.</source>
            <translation>点击单元时把它乘以的系数：0 表示关闭。再次点击即可恢复。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Switch off the 10% most active</source>
            <translation>关闭最活跃的 10%</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Switch off the tenth of this layer's units with the highest mean value on the test subset</source>
            <translation>关闭本层在测试子集上平均值最高的十分之一单元</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Undo every edit: all units on, no pruning, no noise</source>
            <translation>撤销所有修改：所有单元开启，不剪枝，无噪声</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Save as…</source>
            <translation>另存为…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Save the edited copy as a new model file; its record says it was edited and how</source>
            <translation>把修改后的副本保存为新的模型文件；其记录会注明它被修改过以及如何修改</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Each square is a unit, bright when it is active for the current digit. Click to switch it off (or scale it).</source>
            <translation>每个方块是一个单元，对当前数字越活跃越亮。点击可关闭（或缩放）它。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Set this percentage of the weights with the smallest magnitude to zero</source>
            <translation>把绝对值最小的这一百分比的权重置为零</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>in each layer</source>
            <translation>在每一层内</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>over all layers</source>
            <translation>在所有层中一起</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Prune the smallest weights of each layer alike, or the smallest of the whole network together</source>
            <translation>对每一层按同样比例剪掉最小的权重，或在整个网络中一起剪掉最小的权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Add Gaussian noise to every weight: its spread is this fraction of each layer's weight spread (seeded)</source>
            <translation>给每个权重加入高斯噪声：其标准差为该层权重标准差的这一比例（固定随机种子）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Accuracy on the same 2,000 test digits every time, before and after the edits</source>
            <translation>每次都在同样的 2,000 个测试数字上计算的准确率，修改前与修改后</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>updating…</source>
            <translation>更新中…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>The edited copy is being scored in the background</source>
            <translation>正在后台评估修改后的副本</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Layer:</source>
            <translation>层：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Clicking a unit multiplies it by</source>
            <translation>点击单元时乘以</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Prune:</source>
            <translation>剪枝：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Weight noise:</source>
            <translation>权重噪声：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>there is no model to edit</source>
            <translation>没有可修改的模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Saved the edited model as {0}</source>
            <translation>已将修改后的模型保存为 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Save edited model</source>
            <translation>保存修改后的模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>DigitLab models (*.npz)</source>
            <translation>DigitLab 模型 (*.npz)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>No model yet: train one or open a model file.</source>
            <translation>还没有模型：请训练一个或打开模型文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>layer {0} ({1}, {2} units)</source>
            <translation>第 {0} 层（{1}，{2} 个单元）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Load MNIST in the Data panel to measure accuracy on 2,000 test digits.</source>
            <translation>请在“数据”面板中加载 MNIST，以测量 2,000 个测试数字上的准确率。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>This model has no hidden units to edit.</source>
            <translation>此模型没有可修改的隐藏单元。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>{0:.2f} x spread</source>
            <translation>{0:.2f} 倍标准差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>{0} ({1})</source>
            <translation>{0}（{1}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Current digit: the model reads {0}, the edited copy reads {1}</source>
            <translation>当前数字：模型识别为 {0}，修改后的副本识别为 {1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/neuron_lab.py" />
            <source>Accuracy on 2,000 test digits: {0} before, {1} after ({2:+.1f} points) · updated in {3:.2f} s</source>
            <translation>2,000 个测试数字上的准确率：修改前 {0}，修改后 {1}（{2:+.1f} 个百分点）· 更新用时 {3:.2f} 秒</translation>
        </message>
    </context>
    <context>
        <name>NumberLabel</name>
        <message>
            <location filename="../digitlab/gui/widgets/number_label.py" />
            <source>The drawing holds several digits side by side: each is read on its own, with its confidence</source>
            <translation>画面中有几个并排的数字：每个数字单独识别，并给出各自的置信度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/number_label.py" />
            <source>Number: {0}</source>
            <translation>识别结果：{0}</translation>
        </message>
    </context>
    <context>
        <name>NumericalCostBox</name>
        <message>
            <location filename="../digitlab/gui/widgets/numerical_cost.py" />
            <source>Estimate time per iteration</source>
            <translation>估算每次迭代的耗时</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/numerical_cost.py" />
            <source>Time one loss on a batch and multiply by 2 x the parameter count</source>
            <translation>测一次批次损失计算的耗时，再乘以 2 × 参数个数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/numerical_cost.py" />
            <source>Numerical gradients need two forward passes per parameter: {0:,} passes per iteration for this network, thousands of times slower than backprop.</source>
            <translation>数值梯度对每个参数都要做两次前向传播：这个网络每次迭代要做 {0:,} 次，比反向传播慢几千倍。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/numerical_cost.py" />
            <source>Estimated {0} per iteration: {1:,} parameters × 2 losses × {2:.2f} ms per loss on a batch of {3}.</source>
            <translation>估计每次迭代需要 {0}：{1:,} 个参数 × 2 次损失计算 × 每次 {2:.2f} 毫秒（批大小 {3}）。</translation>
        </message>
    </context>
    <context>
        <name>NumericalTab</name>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>&lt;b&gt;Numerical gradient vs backpropagation&lt;/b&gt;&lt;p&gt;To learn, a network needs the slope of its loss for every weight. The obvious way: nudge one weight up and down a tiny bit and see how the loss changes. That takes two passes through the network &lt;i&gt;per weight&lt;/i&gt;. Backpropagation gets all the slopes from one pass forward and one back.&lt;/p&gt;&lt;p&gt;Two copies of the same network train here on the same batches, one each way. Their losses lie on top of each other (the maths agrees), but look at the time per iteration. The table checks the two gradients against each other, tensor by tensor: that &lt;i&gt;gradient check&lt;/i&gt; is how backprop code is tested.&lt;/p&gt;</source>
            <translation>&lt;b&gt;数值梯度与反向传播&lt;/b&gt;&lt;p&gt;要学习，网络需要知道损失对每个权重的斜率。最直接的办法：把一个权重往上、往下各推一点点，看损失怎么变。这样&lt;i&gt;每个权重&lt;/i&gt;都要让数据在网络中过两遍。反向传播只需一次正向、一次反向，就能得到所有斜率。&lt;/p&gt;&lt;p&gt;这里同一个网络的两个副本在相同的批次上训练，各用一种方法。它们的损失曲线重合在一起（数学上一致），但请看每次迭代的耗时。表格逐个张量比较两种梯度：这种&lt;i&gt;梯度确认&lt;/i&gt;就是检验反向传播代码的方法。&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>The network both copies start from (ReLU hidden layer, softmax output). The tutorial's 784-50-10 is five times slower than 784-10-10; 196-10-10 works on 14x14 images and is fastest.</source>
            <translation>两个副本共同的初始网络（ReLU 隐藏层，softmax 输出）。教程里的 784-50-10 比 784-10-10 慢五倍；196-10-10 处理 14x14 的图像，最快。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Mini-batch updates made by each copy</source>
            <translation>每个副本做的小批量更新次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Images per mini-batch; the numerical time grows with it</source>
            <translation>每个小批量的图像数；数值梯度的耗时随它增长</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>SGD learning rate, the same for both copies</source>
            <translation>SGD 学习率，两个副本相同</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Seed for the initial weights and the batches</source>
            <translation>初始权重和批次的随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Iterations</source>
            <translation>迭代次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Check gradients</source>
            <translation>梯度确认</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Only the gradient check: compare both gradients once at the initial weights, without training</source>
            <translation>只做梯度确认：在初始权重处比较一次两种梯度，不训练</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Press Start to race the two methods.</source>
            <translation>按“开始”，让两种方法比一比。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>numerical gradient of this iteration: %p%</source>
            <translation>本次迭代的数值梯度：%p%</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Loss on each shared batch</source>
            <translation>每个共同批次上的损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>iteration</source>
            <translation>迭代</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>numerical</source>
            <translation>数值梯度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>backprop</source>
            <translation>反向传播</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Seconds per iteration (log scale)</source>
            <translation>每次迭代的秒数（对数刻度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>seconds</source>
            <translation>秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>&lt;b&gt;Gradient check&lt;/b&gt; (float64): relative error |a−b| / (|a|+|b|) per parameter tensor</source>
            <translation>&lt;b&gt;梯度确认&lt;/b&gt;（float64）：每个参数张量的相对误差 |a−b| / (|a|+|b|)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Tensor</source>
            <translation>张量</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Shape</source>
            <translation>形状</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Relative error</source>
            <translation>相对误差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Largest difference</source>
            <translation>最大差值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Verdict</source>
            <translation>结论</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Green: below 1e-7, backprop is right. Yellow: below 1e-4, often a kink of ReLU. Red: a bug.</source>
            <translation>绿色：小于 1e-7，反向传播正确。黄色：小于 1e-4，往往是 ReLU 的拐点造成的。红色：有 bug。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>784-50-10 (the tutorial's net)</source>
            <translation>784-50-10（教程中的网络）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>784-10-10</source>
            <translation>784-10-10</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>196-10-10 (14x14 images)</source>
            <translation>196-10-10（14x14 图像）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>excellent</source>
            <translation>很好</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>suspicious</source>
            <translation>可疑</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>wrong</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Expected: about {0} per numerical iteration, {1} for the run ({2:,} weights, each nudged twice per iteration).</source>
            <translation>预计：数值梯度每次迭代约 {0}，整个运行约 {1}（{2:,} 个权重，每次迭代每个权重要推动两次）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Measuring…</source>
            <translation>正在测量…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>{0}: {1:,} weights. Estimated {2} per numerical iteration, {3} in all.</source>
            <translation>{0}：{1:,} 个权重。估计数值梯度每次迭代 {2}，总共 {3}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Backprop is {0:,.0f}× faster</source>
            <translation>反向传播快 {0:,.0f} 倍</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Median seconds per numerical iteration divided by the median per backprop iteration</source>
            <translation>数值梯度每次迭代秒数的中位数，除以反向传播每次迭代秒数的中位数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Iteration {0}: numerical {1}, backprop {2}. Weights of the two copies differ by {3:.1e} (relative). About {4} to go.</source>
            <translation>第 {0} 次迭代：数值梯度 {1}，反向传播 {2}。两个副本的权重相差 {3:.1e}（相对）。还需约 {4}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Gradient check stopped.</source>
            <translation>梯度确认已停止。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Gradient check at the initial weights</source>
            <translation>初始权重处的梯度确认</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Largest relative error {0:.1e}: {1}.</source>
            <translation>最大相对误差 {0:.1e}：{1}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Stopped before the first iteration ended.</source>
            <translation>在第一次迭代结束前就停止了。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/lab/numerical_tab.py" />
            <source>{0} after {1} iterations. Numerical {2} per iteration, backprop {3}: backprop is {4:,.0f}× faster. Final losses {5:.6f} and {6:.6f}; largest gradient-check error {7:.1e}.</source>
            <translation>{0}，共 {1} 次迭代。数值梯度每次迭代 {2}，反向传播 {3}：反向传播快 {4:,.0f} 倍。最终损失 {5:.6f} 和 {6:.6f}；梯度确认的最大误差 {7:.1e}。</translation>
        </message>
    </context>
    <context>
        <name>PerClassBars</name>
        <message>
            <location filename="../digitlab/gui/widgets/per_class_bars.py" />
            <source>Accuracy per digit</source>
            <translation>各数字的准确率</translation>
        </message>
    </context>
    <context>
        <name>PointsMapView</name>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>&lt;b&gt;Points map.&lt;/b&gt; Each dot is one of 2,000 test digits, coloured by what it really is; a cross marks a digit the model gets wrong. Digits that the network sees as alike lie close together. Slide from the input pixels to the last layer and watch the ten classes pull apart. PCA shows the directions of largest spread (instant); t-SNE keeps neighbours together (about ten seconds per layer).</source>
            <translation>&lt;b&gt;点图。&lt;/b&gt;每个点是 2,000 个测试数字之一，颜色表示它真正是几；叉号标出模型认错的数字。网络认为相像的数字彼此靠近。从输入像素滑到最后一层，看十个类别逐渐分开。PCA 显示分布最广的方向（即时）；t-SNE 让近邻保持相邻（每层约十秒）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>PCA</source>
            <translation>PCA</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>t-SNE</source>
            <translation>t-SNE</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>PCA: a linear projection on the two directions of largest spread, computed at once. t-SNE: places digits so that neighbours stay neighbours; clusters are clearer but distances between clusters mean little.</source>
            <translation>PCA：投影到分布最广的两个方向上的线性投影，立即算出。t-SNE：摆放数字使近邻仍是近邻；簇更清楚，但簇与簇之间的距离意义不大。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Where in the network the digits are looked at: 0 is the input pixels, then the output of each layer in turn</source>
            <translation>在网络的哪个位置观察这些数字：0 是输入像素，之后依次是每一层的输出</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Compute map</source>
            <translation>计算点图</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Push 2,000 test digits through the current model and map them (on a background thread; the window stays usable)</source>
            <translation>把 2,000 个测试数字送入当前模型并画成点图（在后台线程中进行；窗口仍可使用）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Stop the computation in progress</source>
            <translation>停止正在进行的计算</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Method</source>
            <translation>方法</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Layer</source>
            <translation>层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Hover a dot to see its digit and what the model says; click it to make it the digit the other Inside views show; drag to pan, wheel to zoom</source>
            <translation>把鼠标移到点上可看到该数字及模型的判断；单击它，“网络内部”标签页的其他视图就显示这个数字；拖动平移，滚轮缩放</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>wrong</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Dot colour: the digit's true label. Cross: misclassified</source>
            <translation>点的颜色：数字的真实标签。叉号：分类错误</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Hover a dot</source>
            <translation>把鼠标移到点上</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>&lt;b&gt;Needs MNIST test digits.&lt;/b&gt; None are loaded: open the Data tab to download or import them, then press Compute map.</source>
            <translation>&lt;b&gt;需要 MNIST 测试数字。&lt;/b&gt;尚未加载：打开“数据”标签页下载或导入，然后按“计算点图”。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>&lt;b&gt;Needs a model.&lt;/b&gt; Train one, or open a model file.</source>
            <translation>&lt;b&gt;需要一个模型。&lt;/b&gt;请训练一个，或打开模型文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Pushing {0:,} test digits through the model…</source>
            <translation>正在把 {0:,} 个测试数字送入模型…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Cancelled.</source>
            <translation>已取消。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>{0:,} digits, accuracy {1:.1f}%, {2:,} wrong (crosses).</source>
            <translation>{0:,} 个数字，准确率 {1:.1f}%，{2:,} 个错误（叉号）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>input pixels ({0})</source>
            <translation>输入像素（{0}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>layer {0}: {1} ({2})</source>
            <translation>第 {0} 层：{1}（{2}）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>t-SNE of {0}…</source>
            <translation>正在计算{0}的 t-SNE…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>right</source>
            <translation>正确</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/points_map.py" />
            <source>Test digit #{0}
label {1}
model says {2} ({3:.0f}%): {4}</source>
            <translation>测试数字 #{0}
标签 {1}
模型认为是 {2}（{3:.0f}%）：{4}</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>gradients</source>
            <translation>梯度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>gradients appear
once training runs</source>
            <translation>开始训练后
显示梯度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/widgets/fields.py" />
            <source>enter a number between {0} and {1}</source>
            <translation>请输入 {0} 到 {1} 之间的数</translation>
        </message>
    </context>
    <context>
        <name>RobustnessPanel</name>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Pixel noise (std)</source>
            <translation>像素噪声（标准差）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Rotation (degrees)</source>
            <translation>旋转（度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Shift (pixels)</source>
            <translation>平移（像素）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Stroke width (pixels, − thinner, + thicker)</source>
            <translation>笔画宽度（像素，− 变细，+ 变粗）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Occluding square (side, pixels)</source>
            <translation>遮挡方块（边长，像素）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Gaussian noise added to every pixel, then clipped to [0, 1]</source>
            <translation>给每个像素加入高斯噪声，然后截断到 [0, 1]</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Each digit turned by this angle, left or right at random</source>
            <translation>每个数字随机向左或向右旋转这个角度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Each digit moved this far in a random direction</source>
            <translation>每个数字沿随机方向移动这么远</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Strokes thinned (negative) or thickened (positive) by this many pixels</source>
            <translation>笔画变细（负值）或变粗（正值）这么多像素</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>A black square of this side hides part of each digit</source>
            <translation>一个这样边长的黑色方块遮住每个数字的一部分</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>How well does the model read damaged digits? Each slider damages the current digit (preview) and marks its level on that damage's accuracy curve. The reject curve shows the accuracy on the digits the model keeps when it declines those it is least sure of.</source>
            <translation>模型识别受损数字的能力如何？每个滑块都会损坏当前数字（预览），并在该损坏的准确率曲线上标出其程度。拒识曲线显示：当模型拒绝它最没把握的数字时，在保留下来的数字上的准确率。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>The current digit with this damage</source>
            <translation>带有这种损坏的当前数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Accuracy (0 to 1) against the damage level; the line marks the slider</source>
            <translation>准确率（0 到 1）随损坏程度的变化；竖线标出滑块位置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Compute curves</source>
            <translation>计算曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Measure accuracy at every damage level on 1,000 test digits, and the reject curve on 2,000 (in the background)</source>
            <translation>在 1,000 个测试数字上测量每个损坏程度的准确率，并在 2,000 个数字上计算拒识曲线（在后台进行）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Stop computing the curves</source>
            <translation>停止计算曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>coverage (share of digits kept)</source>
            <translation>覆盖率（保留的数字比例）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>accuracy on kept digits</source>
            <translation>保留数字上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Keep the most confident digits: the fewer kept, the more accurate the model is on them</source>
            <translation>只保留最有把握的数字：保留得越少，模型在其上越准确</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Decline every digit the model is less confident about than this</source>
            <translation>拒绝模型置信度低于此值的所有数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Confidence threshold:</source>
            <translation>置信度阈值：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Damage</source>
            <translation>损坏</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Reject curve</source>
            <translation>拒识曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>{0:g} → {1:.1f}%</source>
            <translation>{0:g} → {1:.1f}%</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Needs a model and MNIST test data (Data panel).</source>
            <translation>需要一个模型和 MNIST 测试数据（“数据”面板）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Threshold {0:.2f}: compute the curves to see what it keeps.</source>
            <translation>阈值 {0:.2f}：计算曲线后可查看它保留了哪些数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/robustness_panel.py" />
            <source>Threshold {0:.2f}: keeps {1:.1f}% of the digits, {2:.1f}% of them right (all digits: {3:.1f}%; at 95% kept: {4:.1f}%)</source>
            <translation>阈值 {0:.2f}：保留 {1:.1f}% 的数字，其中 {2:.1f}% 正确（全部数字：{3:.1f}%；保留 95% 时：{4:.1f}%）</translation>
        </message>
    </context>
    <context>
        <name>RunsPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Filter: any text in a row (preset, status, tag...)</source>
            <translation>筛选：行中的任意文字（预设、状态、标签……）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Read the run history again</source>
            <translation>重新读取运行历史</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Rename…</source>
            <translation>重命名…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Give the selected run a name</source>
            <translation>为所选运行命名</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Tags…</source>
            <translation>标签…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Set the selected runs' tags</source>
            <translation>设置所选运行的标签</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Remove the selected runs from the history</source>
            <translation>从历史中移除所选运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Open model</source>
            <translation>打开模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Open the model file the selected run saved</source>
            <translation>打开所选运行保存的模型文件</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Export table…</source>
            <translation>导出表格…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Save the table as CSV</source>
            <translation>将表格保存为 CSV</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Export curves…</source>
            <translation>导出曲线…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Save the selected runs' per-epoch metrics as CSV</source>
            <translation>将所选运行的每轮指标保存为 CSV</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>ID</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Preset</source>
            <translation>预设</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Optimiser</source>
            <translation>优化器</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Best val.</source>
            <translation>最佳验证</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Test</source>
            <translation>测试集</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>validation accuracy</source>
            <translation>验证准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>test accuracy</source>
            <translation>测试准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>training loss</source>
            <translation>训练损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>validation loss</source>
            <translation>验证损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>batch loss</source>
            <translation>批次损失</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>by epoch</source>
            <translation>按轮次</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>by step</source>
            <translation>按步数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>by wall time (s)</source>
            <translation>按实际时间（秒）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Smoothing: an exponential moving average of each curve</source>
            <translation>平滑：对每条曲线取指数移动平均</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Smoothing:</source>
            <translation>平滑：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Curves</source>
            <translation>曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>The run history cannot be read: {0}</source>
            <translation>无法读取运行历史：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>{0} runs recorded</source>
            <translation>已记录 {0} 次运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>run {0}</source>
            <translation>运行 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Setting</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Select one run first</source>
            <translation>请先选择一次运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Rename run</source>
            <translation>重命名运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Select runs first</source>
            <translation>请先选择运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Tags, separated by commas:</source>
            <translation>标签，用逗号分隔：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Delete runs</source>
            <translation>删除运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Remove {0} runs from the history? Their model files are kept.</source>
            <translation>从历史中移除 {0} 次运行？它们的模型文件会保留。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Run {0} saved no model</source>
            <translation>运行 {0} 没有保存模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Export runs</source>
            <translation>导出运行</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Export curves</source>
            <translation>导出曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Cannot write {0}: {1}</source>
            <translation>无法写入 {0}：{1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/runs_panel.py" />
            <source>Saved {0}</source>
            <translation>已保存 {0}</translation>
        </message>
    </context>
    <context>
        <name>SaliencyView</name>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Which pixels pushed the answer: the gradient of the chosen digit's score with respect to each input pixel. Red pixels raise the score when brighter, blue ones lower it. Gradient × input keeps only the ink that is there. "Why not k?" explains the difference of the two scores: red favours the chosen digit over k.</source>
            <translation>哪些像素推动了答案：所选数字的分数对每个输入像素的梯度。红色像素变亮时会提高分数，蓝色的会降低分数。“梯度 × 输入”只保留实际有笔迹的像素。“为什么不是 k？”解释两个分数之差：红色表示更支持所选数字而不是 k。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>the answer</source>
            <translation>答案</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>The digit whose score is explained</source>
            <translation>要解释其分数的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Why not this digit? Explain the difference of the two scores instead</source>
            <translation>为什么不是这个数字？改为解释两个分数之差</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Gradient</source>
            <translation>梯度</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>How much each pixel would raise the score if it were a little brighter</source>
            <translation>每个像素稍微变亮时会使分数提高多少</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Gradient × input</source>
            <translation>梯度 × 输入</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>The gradient times the pixel: the part of the score each inked pixel accounts for</source>
            <translation>梯度乘以像素值：每个有笔迹的像素对分数的贡献</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>The digit the network sees</source>
            <translation>网络看到的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>The saliency over the digit: red raises the score, blue lowers it</source>
            <translation>叠加在数字上的显著性：红色提高分数，蓝色降低分数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>The saliency alone, on a symmetric scale</source>
            <translation>单独的显著性图，使用对称的色标</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Explain</source>
            <translation>解释</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>why not</source>
            <translation>为什么不是</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Digit</source>
            <translation>数字</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Saliency over the digit</source>
            <translation>叠加在数字上的显著性</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Saliency alone</source>
            <translation>单独的显著性</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Explaining the score of {0}: z = {1:.3g} (the answer is {2}).</source>
            <translation>解释 {0} 的分数：z = {1:.3g}（答案是 {2}）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Why {0} and not {1}: z{0} − z{1} = {2:.3g}.</source>
            <translation>为什么是 {0} 而不是 {1}：z{0} − z{1} = {2:.3g}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/saliency_view.py" />
            <source>Largest |value| on the map: {0:.3g}.</source>
            <translation>图中最大的 |值|：{0:.3g}。</translation>
        </message>
    </context>
    <context>
        <name>SciSpinBox</name>
        <message>
            <location filename="../digitlab/gui/widgets/fields.py" />
            <source>enter a number between {0:g} and {1:g}</source>
            <translation>请输入 {0:g} 到 {1:g} 之间的数</translation>
        </message>
    </context>
    <context>
        <name>Session</name>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>Run history not written: {0}</source>
            <translation>运行历史未写入：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>Saved {0}</source>
            <translation>已保存 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>the model's network differs from the one in the Network panel: Start trains a new network</source>
            <translation>模型的网络与“网络”面板中的不同：“开始”会训练一个新网络</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>Learning rate set to {0:g}</source>
            <translation>学习率已设为 {0:g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>all epochs done</source>
            <translation>所有轮次已完成</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>stopped on request</source>
            <translation>按要求停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>the loss diverged; the last good weights were kept (try a smaller learning rate)</source>
            <translation>损失发散了；已保留最后一组正常的权重（请试试更小的学习率）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>the training loss fell below the threshold</source>
            <translation>训练损失已低于阈值</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>early stopping: the watched metric stopped improving</source>
            <translation>提前停止：监视的指标不再改善</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>Training ended: {0}</source>
            <translation>训练结束：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/session.py" />
            <source>Training failed: {0}</source>
            <translation>训练失败：{0}</translation>
        </message>
    </context>
    <context>
        <name>Settings</name>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Samples per update</source>
            <translation>每次更新使用的样本数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>sampling</source>
            <translation>采样</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>shuffle: every sample once per epoch; replacement: each batch drawn at random (as the first tutorial does)</source>
            <translation>shuffle：每轮每个样本恰好用一次；replacement：每个批次随机抽取（和第一篇教程一样）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>updates per epoch</source>
            <translation>每轮更新次数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Updates per epoch (auto: training samples / batch size)</source>
            <translation>每轮的更新次数（自动：训练样本数 / 批大小）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>validation split</source>
            <translation>验证集比例</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Fraction of the training images held out for validation</source>
            <translation>留作验证的训练图像比例</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>training samples</source>
            <translation>训练样本数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Train on the first N training images only</source>
            <translation>只用前 N 张训练图像训练</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>all</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>standardise input</source>
            <translation>标准化输入</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Standardise pixels with the training images' mean and std</source>
            <translation>用训练图像的均值和标准差标准化像素</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>epochs</source>
            <translation>轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Passes over the training data</source>
            <translation>把训练数据完整过几遍</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>max iterations</source>
            <translation>最大迭代次数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Stop after this many updates in all</source>
            <translation>总共更新这么多次后停止</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>no limit</source>
            <translation>不限</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>loss threshold</source>
            <translation>损失阈值</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Stop once an epoch's training loss falls below this</source>
            <translation>某轮训练损失低于此值时停止</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>L2 weight decay</source>
            <translation>L2 权重衰减</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>L2 weight decay: adds l2/2 * sum(W^2) to the loss, pulling weights towards zero</source>
            <translation>L2 权值衰减：在损失上加 l2/2 * sum(W^2)，把权重拉向零</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Random seed of the initial weights, validation split, batch order and augmentation: the same seed gives the same run</source>
            <translation>初始权重、验证集划分、批次顺序和数据增强的随机种子：相同的种子得到相同的训练</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>gradients</source>
            <translation>梯度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>backprop: exact gradients; numerical: finite differences (very slow)</source>
            <translation>backprop：精确梯度；numerical：有限差分（非常慢）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>precision</source>
            <translation>精度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Floating-point precision of the network</source>
            <translation>网络的浮点精度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>report every</source>
            <translation>报告间隔</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Batches between progress reports</source>
            <translation>两次进度报告之间的批次数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>snapshot every</source>
            <translation>快照间隔</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Batches between weight snapshots (0: by time, see snapshot_seconds)</source>
            <translation>两次权重快照之间的批次数（0：按时间，见 snapshot_seconds）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>by time</source>
            <translation>按时间</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>snapshot seconds</source>
            <translation>快照秒数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Seconds between weight snapshots during an epoch (0: epoch ends only)</source>
            <translation>一轮中两次权重快照之间的秒数（0：只在每轮结束时）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>epoch ends</source>
            <translation>每轮结束</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>test every epoch</source>
            <translation>每轮测试</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Measure test loss and accuracy every epoch</source>
            <translation>每轮都测量测试损失和准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>watched metric</source>
            <translation>监视指标</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>The per-epoch metric early stopping, keep-best and the plateau schedule watch (val_*: needs a validation split)</source>
            <translation>提前停止、保留最佳和平台调度所监视的每轮指标（val_*：需要验证集划分）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>early-stopping patience</source>
            <translation>提前停止耐心</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Stop after this many epochs without improvement of the watched metric</source>
            <translation>监视指标连续这么多轮没有改善后停止</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>min. improvement</source>
            <translation>最小改善量</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>The smallest change of the watched metric that counts as an improvement</source>
            <translation>监视指标算作改善的最小变化</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>keep best epoch</source>
            <translation>保留最佳轮次</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>At the end, put back the weights of the epoch with the best watched metric</source>
            <translation>结束时恢复监视指标最佳那一轮的权重</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>rotation</source>
            <translation>旋转</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Rotate each training image by up to this many degrees</source>
            <translation>把每张训练图像旋转最多这么多度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>shift</source>
            <translation>平移</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Shift each training image by up to this fraction of its size</source>
            <translation>把每张训练图像平移最多其尺寸的这个比例</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>zoom</source>
            <translation>缩放</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Scale each training image by a factor in [1 - zoom, 1 + zoom]</source>
            <translation>把每张训练图像按 [1 - zoom, 1 + zoom] 中的因子缩放</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>slant</source>
            <translation>倾斜</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Slant each training image by up to this many degrees, as writers do</source>
            <translation>像书写者那样，把每张训练图像倾斜最多这么多度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>width</source>
            <translation>宽度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Make each training image narrower or wider by up to this fraction</source>
            <translation>把每张训练图像变窄或变宽最多这个比例</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>elastic</source>
            <translation>弹性形变</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Bend each training image by a random smooth displacement of this scale in pixels (elastic distortion)</source>
            <translation>用此尺度（像素）的随机平滑位移弯曲每张训练图像（弹性形变）</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>elastic smoothness</source>
            <translation>弹性平滑度</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Smoothness of the elastic distortion in pixels: larger bends more gently</source>
            <translation>弹性形变的平滑度（像素）：越大弯曲越平缓</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>stroke width</source>
            <translation>笔画粗细</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Thicken or thin each training image's strokes by up to this many pixels</source>
            <translation>将每张训练图像的笔画加粗或变细，最多这么多像素</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>flagged ones</source>
            <translation>带旗的 1</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Give this fraction of the training ones a flag at the top (and some a base), as many people write a one</source>
            <translation>按此比例给训练集中的 1 在顶部加一笔斜旗（部分还加底座），就像很多人写 1 那样</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>stretched digits</source>
            <translation>拉伸的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Stretch this fraction of the training digits to fill a square box, as some tablets and scanned forms store digits</source>
            <translation>按此比例把训练集中的数字拉伸到填满一个正方形框，就像一些手写板和扫描表格保存数字的方式那样</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>pen-drawn digits</source>
            <translation>笔画重绘的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Draw this fraction of the training digits again along their centre lines with an even pen, as digits drawn on the canvas look</source>
            <translation>按此比例把训练集中的数字沿其中心线用粗细均匀的笔重新画一遍，使它们看起来像在画板上画出的数字</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>not-a-digit images</source>
            <translation>非数字图像</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Add this many generated non-digit images per training image, trained towards no answer, so the network can decline what is not a digit</source>
            <translation>每张训练图像添加这么多生成的非数字图像，训练目标为“无答案”，使网络能拒绝识别不是数字的内容</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Learning rate: the step size of each update</source>
            <translation>学习率：每次更新的步长</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>momentum</source>
            <translation>动量</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>The fraction of the previous update carried into the next</source>
            <translation>上一次更新带入下一次的比例</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>eps</source>
            <translation>eps</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Small number added to denominators for stability</source>
            <translation>为数值稳定而加到分母上的小数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>rho</source>
            <translation>rho</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Decay rate of the running average of squared gradients</source>
            <translation>梯度平方滑动平均的衰减率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Decay rate of the running averages of squared gradients and steps</source>
            <translation>梯度平方与步长平方滑动平均的衰减率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>beta1</source>
            <translation>beta1</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Decay rate of the running mean of the gradients</source>
            <translation>梯度滑动平均的衰减率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>beta2</source>
            <translation>beta2</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Decay rate of the running mean of the squared gradients</source>
            <translation>梯度平方滑动平均的衰减率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>decay</source>
            <translation>衰减</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Decay of the 'time' schedule: lr / (1 + decay * t)</source>
            <translation>'time' 计划的衰减：lr / (1 + decay * t)</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>power</source>
            <translation>幂</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Exponent of the 'power' schedule: lr / t**power</source>
            <translation>'power' 计划的指数：lr / t**power</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>step size</source>
            <translation>步长</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Epochs between two steps</source>
            <translation>两次下降之间的轮数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>gamma</source>
            <translation>gamma</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Factor applied to the learning rate at each step</source>
            <translation>每次下降时学习率乘以的系数</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>min. learning rate</source>
            <translation>最小学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Learning rate the cosine ends at</source>
            <translation>余弦计划结束时的学习率</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>plateau factor</source>
            <translation>平台衰减因子</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Factor applied to the learning rate when the watched metric stalls</source>
            <translation>监视指标停滞时学习率乘以的因子</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>plateau patience</source>
            <translation>平台耐心</translation>
        </message>
        <message>
            <location filename="../digitlab/core/spec.py" />
            <source>Epochs without improvement of the watched metric before the learning rate is lowered</source>
            <translation>降低学习率之前监视指标没有改善的轮数</translation>
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>&amp;Start training</source>
            <translation>开始训练(&amp;S)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Train the network configured in the Network panel (F5)</source>
            <translation>训练在“网络”面板中配置的网络（F5）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>&amp;Pause</source>
            <translation>暂停(&amp;P)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Pause the run after the current batch, or resume it (F6)</source>
            <translation>在当前批次结束后暂停训练，或继续训练（F6）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>S&amp;top</source>
            <translation>停止(&amp;T)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Stop after the current batch; the weights trained so far are kept (Shift+F5)</source>
            <translation>在当前批次结束后停止；已训练的权重会保留（Shift+F5）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Continue from current weights</source>
            <translation>从当前权重继续</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Start from the current model's weights and history (fine-tuning) instead of fresh random weights</source>
            <translation>从当前模型的权重和训练历史开始（微调），而不是重新随机生成权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Learning rate:</source>
            <translation>学习率：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Base learning rate. While a run is in progress a change applies from its next batch (the schedule still scales it)</source>
            <translation>基础学习率。训练进行中修改时，从下一个批次开始生效（学习率调度仍会对它缩放）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Learning rate of the last batch, schedule applied</source>
            <translation>最近一个批次实际使用的学习率（已应用调度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Iterations done out of the run's total</source>
            <translation>已完成的迭代次数 / 总迭代次数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Numerical gradient: parameters differentiated so far in this iteration</source>
            <translation>数值梯度：本次迭代中已求导的参数个数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Batch loss —</source>
            <translation>批次损失 —</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Loss and accuracy of the last reported training batch</source>
            <translation>最近上报的训练批次的损失和准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Accuracy after the last epoch: —</source>
            <translation>最近一轮结束后的准确率：—</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Accuracy on the training, validation and test sets after the last finished epoch</source>
            <translation>最近完成的一轮之后，在训练集、验证集和测试集上的准确率</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Fix the configuration in the Network panel first.</source>
            <translation>请先修正“网络”面板中的配置。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>&amp;Resume</source>
            <translation>继续(&amp;R)</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Paused. Press Resume (F6) to go on.</source>
            <translation>已暂停。按“继续”（F6）接着训练。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Stopping after the current batch…</source>
            <translation>将在当前批次结束后停止…</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Not started</source>
            <translation>未开始</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Starting: {0:,} training images, {1:,} parameters</source>
            <translation>开始训练：{0:,} 张训练图像，{1:,} 个参数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Numerical gradients: about {0} per iteration.</source>
            <translation>数值梯度：每次迭代约 {0}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>train {0}</source>
            <translation>训练 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>val. {0}</source>
            <translation>验证 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>test {0}</source>
            <translation>测试 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Epoch {0} accuracy: {1}</source>
            <translation>第 {0} 轮准确率：{1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Finished after {0} epoch(s), {1:,} iterations: {2}.</source>
            <translation>训练了 {0} 轮、{1:,} 次迭代后结束：{2}。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Training failed: {0}</source>
            <translation>训练失败：{0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Epoch {0}/{1} · iteration {2:,}/{3:,} · ETA {4} · {5:,.0f} samples/s</source>
            <translation>第 {0}/{1} 轮 · 迭代 {2:,}/{3:,} · 剩余 {4} · {5:,.0f} 样本/秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Ended in epoch {0}/{1} · iteration {2:,}/{3:,} · {4:,.0f} samples/s</source>
            <translation>结束于第 {0}/{1} 轮 · 迭代 {2:,}/{3:,} · {4:,.0f} 样本/秒</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source> · accuracy {0}</source>
            <translation> · 准确率 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Batch loss {0:.4f}{1}</source>
            <translation>批次损失 {0:.4f}{1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>now {0:.3g}</source>
            <translation>当前 {0:.3g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/training_panel.py" />
            <source>Numerical gradient, iteration {0}: {1:,} / {2:,} parameters</source>
            <translation>数值梯度，第 {0} 次迭代：{1:,} / {2:,} 个参数</translation>
        </message>
    </context>
    <context>
        <name>UnitGrid</name>
        <message>
            <location filename="../digitlab/gui/inside/unit_grid.py" />
            <source>off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_grid.py" />
            <source>x {0:g}</source>
            <translation>× {0:g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_grid.py" />
            <source>unit {0}: value {1:.3g} for this digit, {2}</source>
            <translation>单元 {0}：对此数字的值为 {1:.3g}，{2}</translation>
        </message>
    </context>
    <context>
        <name>UnitText</name>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>{0}: {1} → {2}</source>
            <translation>{0}：{1} → {2}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>filter {0} at (row {1}, col {2})</source>
            <translation>滤波器 {0}，位置（第 {1} 行，第 {2} 列）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>unit {0}</source>
            <translation>单元 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>padding</source>
            <translation>填充</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>pixel (row {0}, col {1})</source>
            <translation>像素（第 {0} 行，第 {1} 列）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>layer {0}, map {1} (row {2}, col {3})</source>
            <translation>第 {0} 层，特征图 {1}（第 {2} 行，第 {3} 列）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>input {0}</source>
            <translation>输入 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>layer {0}, unit {1}</source>
            <translation>第 {0} 层，单元 {1}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>{0}: {1:.3g} × {2:.3g}</source>
            <translation>{0}：{1:.3g} × {2:.3g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source>z = {0} + {1} other inputs ({2:+.3g}) + bias {3:+.3g} = {4:.4g}</source>
            <translation>z = {0} + 其余 {1} 个输入（{2:+.3g}）+ 偏置 {3:+.3g} = {4:.4g}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/inside/unit_text.py" />
            <source> → {0} = {1:.4g}</source>
            <translation> → {0} = {1:.4g}</translation>
        </message>
    </context>
    <context>
        <name>UserGuideWindow</name>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>DigitLab user guide</source>
            <translation>DigitLab 用户指南</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Getting started</source>
            <translation>入门</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>The panels</source>
            <translation>各个面板</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Files and folders</source>
            <translation>文件和文件夹</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>{0:.1f} MB</source>
            <translation>{0:.1f} MB</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&lt;b&gt;Draw.&lt;/b&gt; Open the &lt;i&gt;Draw&lt;/i&gt; tab and write a digit with the mouse or a pen. The shipped pretrained model reads it as you write; the bars show how sure it is. Esc clears the canvas, Ctrl+Z takes back a stroke.</source>
            <translation>&lt;b&gt;手写。&lt;/b&gt;打开&lt;i&gt;手写&lt;/i&gt;标签页，用鼠标或手写笔写一个数字。自带的预训练模型会边写边识别；柱状图显示它有多大把握。Esc 清空画布，Ctrl+Z 撤销一笔。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&lt;b&gt;Get MNIST.&lt;/b&gt; Training needs the MNIST digits. In the &lt;i&gt;Data&lt;/i&gt; tab, &lt;i&gt;Download MNIST&lt;/i&gt; fetches them ({0}, checked file by file), or &lt;i&gt;Import local files…&lt;/i&gt; copies files you already have.</source>
            <translation>&lt;b&gt;获取 MNIST。&lt;/b&gt;训练需要 MNIST 数字。在&lt;i&gt;数据&lt;/i&gt;标签页中，&lt;i&gt;下载 MNIST&lt;/i&gt; 会下载它们（{0}，逐个文件校验），&lt;i&gt;导入本地文件…&lt;/i&gt; 则复制你已有的文件。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&lt;b&gt;Train.&lt;/b&gt; Pick a preset in the &lt;i&gt;Network&lt;/i&gt; panel on the left (&lt;i&gt;mlp&lt;/i&gt; learns in seconds), then press &lt;i&gt;Start&lt;/i&gt; in the &lt;i&gt;Training&lt;/i&gt; panel (F5). Watch the loss fall in &lt;i&gt;Curves&lt;/i&gt; and the first layer take shape in &lt;i&gt;Weights&lt;/i&gt;. Pause with F6, stop with Shift+F5.</source>
            <translation>&lt;b&gt;训练。&lt;/b&gt;在左侧的&lt;i&gt;网络&lt;/i&gt;面板中选一个预设（&lt;i&gt;mlp&lt;/i&gt; 几秒钟就能学会），然后在&lt;i&gt;训练&lt;/i&gt;面板中按&lt;i&gt;开始&lt;/i&gt;（F5）。在&lt;i&gt;曲线&lt;/i&gt;中看损失下降，在&lt;i&gt;权重&lt;/i&gt;中看第一层逐渐成形。F6 暂停，Shift+F5 停止。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&lt;b&gt;Evaluate.&lt;/b&gt; In the &lt;i&gt;Evaluate&lt;/i&gt; tab, &lt;i&gt;Evaluate on test set&lt;/i&gt; measures the model on 10,000 digits it never trained on. Click a cell of the confusion matrix to see those digits.</source>
            <translation>&lt;b&gt;评估。&lt;/b&gt;在&lt;i&gt;评估&lt;/i&gt;标签页中，&lt;i&gt;在测试集上评估&lt;/i&gt;会用模型从未训练过的 10,000 个数字来衡量它。点击混淆矩阵的格子可以看到对应的数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>&lt;b&gt;Save.&lt;/b&gt; File ▸ Save (Ctrl+S) writes the model, its settings and its curves to one file in your models folder; File ▸ Open brings it back. DigitLab asks before it closes with trained weights that are not saved.</source>
            <translation>&lt;b&gt;保存。&lt;/b&gt;文件 ▸ 保存（Ctrl+S）把模型、设置和曲线写进模型文件夹中的一个文件；文件 ▸ 打开可以再把它读回来。如果训练好的权重还没保存，DigitLab 关闭前会先询问。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>A first session in five steps:</source>
            <translation>五步完成第一次使用：</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>The Lab menu opens experiments from the tutorials: numerical gradients against backpropagation, fitting a function, a decision boundary, two losses, and vanishing gradients.</source>
            <translation>实验室菜单打开教程中的实验：数值梯度与反向传播的对比、函数拟合、决策边界、两种损失函数，以及梯度消失。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>The layers (add, remove, reorder, set units and activations), the optimiser, learning rate and schedule, regularisation, the data split and the number of epochs. A preset fills it all in. Impossible values are refused in the control.</source>
            <translation>网络的各层（添加、删除、调整顺序，设置单元数和激活函数）、优化器、学习率及其调度、正则化、数据划分和训练轮数。选一个预设会把这些全部填好。不可能的取值在控件中就会被拒绝。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Start, pause and stop a run; its progress, time left, speed and latest loss. The learning rate can be changed while the run goes on.</source>
            <translation>开始、暂停和停止训练；显示进度、剩余时间、速度和最新的损失。训练进行中也可以修改学习率。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Curves</source>
            <translation>曲线</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Loss per batch and per epoch, and accuracy per epoch on training, validation and test data. Tick a series to show or hide it; export the plots or the numbers.</source>
            <translation>每个批次和每轮的损失，以及每轮在训练、验证和测试数据上的准确率。勾选某条曲线可以显示或隐藏它；可以导出图像或数据。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Weights</source>
            <translation>权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>The first layer's weights as images (click one to enlarge it), histograms of the weights and gradients of every layer, and the size of the gradients over time.</source>
            <translation>把第一层的权重画成图像（点击一个可以放大），每一层权重和梯度的直方图，以及梯度大小随时间的变化。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Draw</source>
            <translation>手写</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>A canvas to write digits on, the 28x28 image the network actually sees, and its probability for each digit. Load an image file to read a digit from it.</source>
            <translation>一块用来写数字的画布、网络实际看到的 28x28 图像，以及它对每个数字给出的概率。也可以载入图像文件，从中识别数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Evaluate</source>
            <translation>评估</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Test accuracy, accuracy per digit, the confusion matrix and a gallery of the mistakes, most confident first.</source>
            <translation>测试准确率、每个数字的准确率、混淆矩阵，以及识别错误的图库（最有把握的错误排在最前）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Data</source>
            <translation>数据</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Where the MNIST files are, download and import, and sample digits of each class.</source>
            <translation>MNIST 文件所在的位置、下载和导入，以及每一类的样例数字。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Lab</source>
            <translation>实验室</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>A separate window of small experiments that show why networks learn the way they do.</source>
            <translation>一个单独的窗口，里面的小实验展示网络为什么会这样学习。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Panels can be moved, closed and brought back from the View menu; View ▸ Reset layout puts them back. On a small screen a panel scrolls.</source>
            <translation>面板可以移动、关闭，并从视图菜单中重新打开；视图 ▸ 重置布局会把它们放回原处。屏幕较小时，面板可以滚动。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Draw canvas: clear</source>
            <translation>手写画布：清空</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Draw canvas: undo the last stroke</source>
            <translation>手写画布：撤销最后一笔</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Command</source>
            <translation>命令</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>MNIST cache</source>
            <translation>MNIST 缓存</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Documentation</source>
            <translation>文档</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>not installed (it is the docs folder of DigitLab's source)</source>
            <translation>未安装（它是 DigitLab 源代码中的 docs 文件夹）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/help_window.py" />
            <source>Help ▸ Open models folder and Help ▸ Open documentation folder show them in the file manager. A model is one .npz file: copy it to share it.</source>
            <translation>帮助 ▸ 打开模型文件夹 和 帮助 ▸ 打开文档文件夹 会在文件管理器中打开它们。一个模型就是一个 .npz 文件：复制它就可以分享。</translation>
        </message>
    </context>
    <context>
        <name>WeightsPanel</name>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Click a unit to see its weights large</source>
            <translation>点击一个单元，放大查看它的权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Click a unit in the mosaic</source>
            <translation>点击拼图中的一个单元</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>&lt;span style='color:#2166ac'&gt;■&lt;/span&gt; negative &amp;nbsp; &lt;span style='color:#999'&gt;□&lt;/span&gt; zero &amp;nbsp; &lt;span style='color:#b2182b'&gt;■&lt;/span&gt; positive</source>
            <translation>&lt;span style='color:#2166ac'&gt;■&lt;/span&gt; 负 &amp;nbsp; &lt;span style='color:#999'&gt;□&lt;/span&gt; 零 &amp;nbsp; &lt;span style='color:#b2182b'&gt;■&lt;/span&gt; 正</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Gradient norm per layer</source>
            <translation>各层的梯度范数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>iteration</source>
            <translation>迭代</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>gradient norm (log scale)</source>
            <translation>梯度范数（对数刻度）</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>One point per snapshot of the weights, a few each second while training runs</source>
            <translation>每个权重快照一个点，训练时每秒几个</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Gradient norms per layer are plotted here while training runs: a healthy run keeps them within a few decades; vanishing or exploding gradients show at once.</source>
            <translation>训练时这里会画出各层的梯度范数：正常的训练中它们相差不超过几个数量级；梯度消失或梯度爆炸会一眼看出来。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>First layer</source>
            <translation>第一层</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Histograms</source>
            <translation>直方图</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Gradient norms</source>
            <translation>梯度范数</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>No weights to show</source>
            <translation>没有可显示的权重</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>No model yet: create or open one to see its weights.</source>
            <translation>还没有模型：新建或打开一个模型即可查看它的权重。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>The first layer's weights cannot be shown as images.</source>
            <translation>第一层的权重无法显示为图像。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>First layer: each tile is one of the {0} hidden units, its 784 input weights drawn as a 28x28 image (red: this pixel excites the unit, blue: inhibits it).</source>
            <translation>第一层：每个小方块是 {0} 个隐藏单元中的一个，它的 784 个输入权重画成一张 28x28 的图像（红色：这个像素激活该单元，蓝色：抑制该单元）。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>First layer: the {0} convolution filters ({1}x{2}), red positive, blue negative.</source>
            <translation>第一层：{0} 个卷积滤波器（{1}x{2}），红色为正，蓝色为负。</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Unit {0}</source>
            <translation>单元 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>Filter {0}</source>
            <translation>滤波器 {0}</translation>
        </message>
        <message>
            <location filename="../digitlab/gui/panels/weights_panel.py" />
            <source>{0}: weights from {1:.3g} to {2:.3g}</source>
            <translation>{0}：权重范围 {1:.3g} 到 {2:.3g}</translation>
        </message>
    </context>
</TS>
